/* Settings -> the poller's configuration. */
#pragma once

#include "core/settings.h"
#include "device/poll.h"

void devconf_from_settings(const struct settings *s, struct poll_config *c);
