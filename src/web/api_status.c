/* The live model: GET /status (the snapshot as upsgatectl status --json
 * shows it, plus the topology tree and the alarm summary) and GET
 * /alarms (the alarm summary alone). An active alarm's start time is the
 * time of its most recent "raised" row in the UPS event log. */
#include "web/api.h"

#include <string.h>

#include "core/snapjson.h"
#include "device/maptab.h"

/* Recent alarm rows looked at to date the active alarms; with none
 * active, only the last alarm is wanted (a cleared row may come first). */
#define ALARM_ROWS 500
#define LAST_ALARM_ROWS 50

static const char *kind_name(enum level_kind k)
{
	return k == LEVEL_SYSTEM ? "system" : k == LEVEL_UNIT ? "unit" : "module";
}

/* The latest alarm rows of the UPS event log, newest first; NULL when
 * the log cannot be read (alarms are then shown without their time). */
static json_t *recent_alarm_rows(struct store *st, bool any_active)
{
	struct store_query q = { .page = 1, .size = any_active ? ALARM_ROWS : LAST_ALARM_ROWS,
				 .sort = SORT_TIME,
				 .descending = true, .min_level = LEVEL_WARNING, .unit = -1 };
	struct json j;
	json_t *doc, *rows = NULL;

	json_init(&j);
	if (store_query_json(st, STORE_DEVICE_EVENTS, &q, &j) == 0 && !json_failed(&j)) {
		doc = json_loadb(j.buf, j.len, 0, NULL);
		rows = json_incref(json_object_get(doc, "rows"));
		json_decref(doc);
	}
	json_free(&j);
	return json_is_array(rows) ? rows : (json_decref(rows), NULL);
}

/* The row that raised [acronym] at [unit]/[module] most recently. */
static json_t *raised_row(json_t *rows, const char *acronym, unsigned unit, unsigned module)
{
	size_t i;
	json_t *row;

	json_array_foreach(rows, i, row) {
		const char *code = json_string_value(json_object_get(row, "code"));
		const char *dot = code ? strchr(code, '.') : NULL;

		if (dot && strcmp(dot + 1, acronym) == 0 &&
		    json_integer_value(json_object_get(row, "unit")) == unit &&
		    json_integer_value(json_object_get(row, "module")) == module &&
		    json_is_true(json_object_get(row, "active")))
			return row;
	}
	return NULL;
}

static bool alarm_bit(const uint16_t *words, size_t index)
{
	return (words[index / 16] >> (index % 16)) & 1;
}

static void write_active(struct json *j, const struct snapshot *s, json_t *rows,
			 unsigned count[LEVEL_CRITICAL + 1])
{
	const struct map_def *map = map_get(s->id.map);

	json_arr_open(j, "active_alarms");
	for (size_t i = 0; map && i < s->n_levels; i++) {
		const struct level_data *l = &s->levels[i];

		for (size_t b = 0; l->valid && b < map->n_alarm_bits && b < MODEL_ALARM_WORDS * 16; b++) {
			const struct bit_def *d = &map->alarm_bits[b];
			json_t *row;

			if (!d->acronym || d->level == LEVEL_NONE || !alarm_bit(l->alarms, b))
				continue;
			count[d->level]++;
			row = raised_row(rows, d->acronym, l->unit, l->module);
			json_obj_open(j, NULL);
			json_str(j, "level", kind_name(l->kind));
			json_uint(j, "unit", l->unit);
			json_uint(j, "module", l->module);
			json_str(j, "code", d->acronym);
			json_str(j, "severity", level_name(d->level));
			json_str(j, "text", d->text);
			if (row) {
				json_int(j, "since_ms", json_integer_value(json_object_get(row, "t")));
				json_str(j, "since", json_string_value(json_object_get(row, "time")));
			} else {
				json_put_null(j, "since_ms");
				json_put_null(j, "since");
			}
			json_obj_close(j);
		}
	}
	json_arr_close(j);
}

static void write_last(struct json *j, json_t *rows)
{
	size_t i;
	json_t *row;

	json_array_foreach(rows, i, row) {
		if (!json_is_true(json_object_get(row, "active")))
			continue;
		json_obj_open(j, "last_alarm");
		json_str(j, "code", json_string_value(json_object_get(row, "code")));
		json_str(j, "text", json_string_value(json_object_get(row, "text")));
		json_str(j, "severity", json_string_value(json_object_get(row, "level")));
		json_int(j, "unit", json_integer_value(json_object_get(row, "unit")));
		json_int(j, "module", json_integer_value(json_object_get(row, "module")));
		json_int(j, "time_ms", json_integer_value(json_object_get(row, "t")));
		json_str(j, "time", json_string_value(json_object_get(row, "time")));
		json_obj_close(j);
		return;
	}
	json_put_null(j, "last_alarm");
}

static bool any_alarm(const struct snapshot *s)
{
	for (size_t i = 0; s && i < s->n_levels; i++)
		if (s->levels[i].valid && s->levels[i].d.n_alarms)
			return true;
	return false;
}

/* "active_alarms", "alarm_counts", "last_alarm". */
static void write_alarm_summary(struct json *j, const struct snapshot *s, struct store *st)
{
	unsigned count[LEVEL_CRITICAL + 1] = { 0 };
	json_t *rows = recent_alarm_rows(st, any_alarm(s));

	if (s) {
		write_active(j, s, rows, count);
	} else {
		json_arr_open(j, "active_alarms");
		json_arr_close(j);
	}
	json_obj_open(j, "alarm_counts");
	json_uint(j, "total", count[LEVEL_WARNING] + count[LEVEL_CRITICAL]);
	json_uint(j, "critical", count[LEVEL_CRITICAL]);
	json_uint(j, "warning", count[LEVEL_WARNING]);
	json_obj_close(j);
	write_last(j, rows);
	json_decref(rows);
}

static void write_node(struct json *j, const char *key, const struct snapshot *s, size_t index)
{
	const struct level_data *l = &s->levels[index];

	json_obj_open(j, key);
	json_uint(j, "level", index);
	json_str(j, "kind", kind_name(l->kind));
	json_uint(j, "unit", l->unit);
	json_uint(j, "module", l->module);
	json_bool(j, "present", l->present);
	json_bool(j, "valid", l->valid);
	json_str(j, "worst_alarm", level_name(l->d.worst_alarm));
	json_arr_open(j, "children");
	for (size_t i = 1; i < s->n_levels; i++) {
		const struct level_data *c = &s->levels[i];
		bool child = l->kind == LEVEL_SYSTEM ?
			     c->kind == LEVEL_UNIT || (c->kind == LEVEL_MODULE && c->unit == 0) :
			     l->kind == LEVEL_UNIT && c->kind == LEVEL_MODULE && c->unit == l->unit;

		if (child)
			write_node(j, NULL, s, i);
	}
	json_arr_close(j);
	json_obj_close(j);
}

void api_status(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	const struct snapshot *s = manager_latest(d->m);
	struct json j;

	json_init(&j);
	json_obj_open(&j, NULL);
	if (s) {
		snapjson_members(&j, s);
		if (s->n_levels)
			write_node(&j, "tree", s, 0);
	} else {
		json_str(&j, "comm", comm_state_name(COMM_STARTING));
	}
	json_str(&j, "name", settings_str(d->m->settings, SET_SYSTEM_NAME));
	json_str(&j, "location", settings_str(d->m->settings, SET_SYSTEM_LOCATION));
	json_str(&j, "contact", settings_str(d->m->settings, SET_SYSTEM_CONTACT));
	write_alarm_summary(&j, s, d->store);
	json_obj_close(&j);
	api_reply_writer(r, 200, &j);
}

void api_alarms(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	struct json j;

	json_init(&j);
	json_obj_open(&j, NULL);
	write_alarm_summary(&j, manager_latest(d->m), d->store);
	json_obj_close(&j);
	api_reply_writer(r, 200, &j);
}
