/* The live model: GET /status (the snapshot as upsgatectl status --json
 * shows it, plus the topology tree and the alarm summary), GET /alarms
 * (the alarm summary alone) and POST /alarms/ack. An active alarm's
 * start time is the time of its most recent "raised" row in the UPS
 * event log; whether it was acknowledged is kept in memory (ack.h). */
#include "web/api.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
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

struct alarm_counts {
	unsigned level[LEVEL_CRITICAL + 1];
	unsigned unacknowledged;
};

static void write_active(struct json *j, const struct snapshot *s, json_t *rows,
			 const struct alarm_acks *acks, struct alarm_counts *count)
{
	const struct map_def *map = map_get(s->id.map);

	json_arr_open(j, "active_alarms");
	for (size_t i = 0; map && i < s->n_levels; i++) {
		const struct level_data *l = &s->levels[i];

		for (size_t b = 0; l->valid && b < map->n_alarm_bits && b < ACK_BITS; b++) {
			const struct bit_def *d = &map->alarm_bits[b];
			bool acked = ack_is_acked(acks, s->id.map, l, b);
			json_t *row;

			if (!ack_alarm_active(map, l, b))
				continue;
			count->level[d->level]++;
			count->unacknowledged += !acked;
			row = raised_row(rows, d->acronym, l->unit, l->module);
			json_obj_open(j, NULL);
			json_str(j, "level", kind_name(l->kind));
			json_uint(j, "unit", l->unit);
			json_uint(j, "module", l->module);
			json_str(j, "code", d->acronym);
			json_str(j, "severity", level_name(d->level));
			json_str(j, "text", d->text);
			json_bool(j, "acknowledged", acked);
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
static void write_alarm_summary(struct json *j, const struct snapshot *s, struct store *st,
				const struct alarm_acks *acks)
{
	struct alarm_counts count = { { 0 }, 0 };
	json_t *rows = recent_alarm_rows(st, any_alarm(s));

	if (s) {
		write_active(j, s, rows, acks, &count);
	} else {
		json_arr_open(j, "active_alarms");
		json_arr_close(j);
	}
	json_obj_open(j, "alarm_counts");
	json_uint(j, "total", count.level[LEVEL_WARNING] + count.level[LEVEL_CRITICAL]);
	json_uint(j, "critical", count.level[LEVEL_CRITICAL]);
	json_uint(j, "warning", count.level[LEVEL_WARNING]);
	json_uint(j, "unacknowledged", count.unacknowledged);
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
	write_alarm_summary(&j, s, d->store, &web_api_state(r)->acks);
	json_obj_close(&j);
	api_reply_writer(r, 200, &j);
}

void api_alarms(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	struct json j;

	json_init(&j);
	json_obj_open(&j, NULL);
	write_alarm_summary(&j, manager_latest(d->m), d->store, &web_api_state(r)->acks);
	json_obj_close(&j);
	api_reply_writer(r, 200, &j);
}

/* Acknowledges every active alarm; other browsers learn it from the
 * gateway event (only when something was acknowledged). */
void api_alarms_ack(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	size_t len = 0;
	json_t *body;
	unsigned n;

	web_body(r, &len);
	if (len > 0) {
		body = web_body_json(r);
		if (!body)
			return;
		if (json_object_size(body) != 0) {
			web_reply_error(r, 400, "bad_request", "the body must be empty or {}");
			return;
		}
	}
	n = ack_all(&web_api_state(r)->acks, manager_latest(d->m));
	if (n > 0 && evbus_emit(d->m->bus, "gw.alarms_acknowledged", 0, 0, "%u alarm(s) by %s", n,
				web_who(r)) < 0)
		log_warning("web: the alarm acknowledgement could not be recorded");
	api_reply(r, 200, json_pack("{s:I}", "acknowledged", (json_int_t)n));
}
