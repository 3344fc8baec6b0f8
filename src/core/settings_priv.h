/* Shared by the settings files (settings.c, settings_write.c,
 * settings_json.c) and their tests; not part of the public face. */
#pragma once

#include "core/settings.h"

/* Text to typed value (defaults, ENUM integers); 0 or -errno. */
int settings_value_from_text(const struct setting_def *d, const char *text,
			     union setting_value *v);
void settings_value_free(const struct setting_def *d, union setting_value *v);
int settings_value_copy(const struct setting_def *d, const union setting_value *from,
			union setting_value *to);
bool settings_choice_ok(const struct setting_def *d, const char *text);
/* Bounds, length, syntax and choices of a typed value: NULL when valid,
 * else the reason written to [buf] ("300 is out of range (1 to 247)"). */
const char *settings_value_check(const struct setting_def *d, const union setting_value *v,
				 char *buf, size_t len);
/* The checks one list entry gets once its fields are typed and valid:
 * the naming first field present, then the item_check. */
const char *settings_item_check(const struct setting_def *d, const union setting_value *fields,
				char *buf, size_t len);
