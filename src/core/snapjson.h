/* The latest snapshot as JSON, for the local API (upsgatectl) and later
 * the web API: one rendering, every reader. */
#pragma once

#include "common/json.h"
#include "device/snapshot.h"

/* Writes the whole snapshot as one object member named [key] (NULL at
 * top level or in an array). */
void snapjson_write(struct json *j, const char *key, const struct snapshot *s);
/* The same members inside an object the caller opened, so that a reader
 * (the web API) can add its own next to them. */
void snapjson_members(struct json *j, const struct snapshot *s);
/* Only the active alarms of every level: [{level, unit, module, code, severity, text}]. */
void snapjson_alarms(struct json *j, const char *key, const struct snapshot *s);
