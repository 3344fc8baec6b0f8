/* "logs NAME [json|csv|clear] [key=value...]" of the local API. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

bool control_logs_check(const char *args);
/* The reply (JSON page, CSV text or "ok"), or "error: ..." ; NULL on
 * allocation failure. */
char *control_logs(struct store *st, const char *args, size_t *len);
