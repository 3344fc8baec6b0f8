#include "core/devconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum ups_map map_from_setting(const char *v)
{
	if (strcmp(v, "jbusp") == 0)
		return MAP_JBUSP;
	if (strcmp(v, "vumap") == 0)
		return MAP_VUMAP;
	if (strcmp(v, "sts") == 0)
		return MAP_STS;
	return MAP_NONE;
}

void devconf_from_settings(const struct settings *s, struct poll_config *c)
{
	const char *baud = settings_str(s, SET_SERIAL_BAUD);

	poll_config_defaults(c);
	snprintf(c->device, sizeof(c->device), "%s", settings_str(s, SET_SERIAL_DEVICE));
	c->baud = strcmp(baud, "auto") == 0 ? 0 : (unsigned)strtoul(baud, NULL, 10);
	c->slave = (int)settings_int(s, SET_SERIAL_SLAVE);
	c->interval = settings_double(s, SET_SERIAL_POLL_INTERVAL);
	c->fast_interval = settings_double(s, SET_SERIAL_FAST_INTERVAL);
	if (c->fast_interval > c->interval)
		c->fast_interval = c->interval;
	c->extra_timeout_ms = (unsigned)settings_int(s, SET_SERIAL_TIMEOUT);
	c->max_failures = (unsigned)settings_int(s, SET_SERIAL_MAX_FAILURES);
	c->map = map_from_setting(settings_str(s, SET_SERIAL_MAP));
	c->per_level = settings_bool(s, SET_SERIAL_PER_UNIT);
	c->addr.unit_stride = (uint16_t)settings_int(s, SET_SERIAL_UNIT_STRIDE);
	c->addr.module_stride = (uint16_t)settings_int(s, SET_SERIAL_MODULE_STRIDE);
	c->reopen_max_s = settings_double(s, SET_SERIAL_REOPEN_MAX);
	c->trace_frames = (unsigned)settings_int(s, SET_SERIAL_TRACE_FRAMES);
}
