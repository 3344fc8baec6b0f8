/* Human-readable renderings for `upsgatectl status` and `alarms`. */
#pragma once

#include <stddef.h>

#include "device/snapshot.h"

char *control_status_text(const struct snapshot *s, size_t *len);   /* caller frees */
char *control_alarms_text(const struct snapshot *s, size_t *len);
