#include "core/snapjson.h"

#include <stdio.h>
#include <time.h>

#include "device/maptab.h"

static const char *level_kind_name(enum level_kind k)
{
	static const char *const names[] = {
		[LEVEL_SYSTEM] = "system", [LEVEL_UNIT] = "unit", [LEVEL_MODULE] = "module",
	};
	return names[k];
}

static void write_time(struct json *j, const char *key, const struct timespec *ts)
{
	char buf[40];
	struct tm tm;

	gmtime_r(&ts->tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_str(j, key, buf);
}

static void write_identity(struct json *j, const struct identity *id)
{
	char fw[16];

	json_obj_open(j, "identity");
	json_str(j, "map", map_name(id->map));
	json_uint(j, "type_code", id->type_code);
	json_str(j, "range", id->range);
	json_str(j, "serial", id->serial);
	json_str(j, "reference", id->reference);
	json_num(j, "nominal_kva", id->nominal_kva);
	json_num(j, "nominal_kw", id->nominal_kw);
	json_uint(j, "phases_in", id->phases_in);
	json_uint(j, "phases_out", id->phases_out);
	json_uint(j, "measurement_factor", id->meas_factor);
	snprintf(fw, sizeof(fw), "%u.%02u", id->firmware / 100, id->firmware % 100);
	if (id->firmware)
		json_str(j, "firmware", fw);
	else
		json_put_null(j, "firmware");
	json_bool(j, "battery_present", id->battery_present);
	json_obj_close(j);
}

static void write_topology(struct json *j, const struct topology_info *t)
{
	json_obj_open(j, "topology");
	json_str(j, "kind", topology_name(t->kind));
	json_str(j, "bypass", bypass_name(t->bypass));
	json_uint(j, "units", t->n_units);
	json_uint(j, "modules", t->n_modules);
	json_obj_close(j);
}

static void write_derived(struct json *j, const struct derived *d)
{
	json_obj_open(j, "state");
	json_str(j, "ups_status", ups_status_text(d->ups_status));
	json_str(j, "output_source", output_source_text(d->output_source));
	json_str(j, "battery_status", battery_status_text(d->battery_status));
	json_str(j, "load_status", load_status_text(d->load_status));
	json_str(j, "rectifier", path_state_text(d->rectifier));
	json_str(j, "inverter", path_state_text(d->inverter));
	json_str(j, "bypass", path_state_text(d->bypass));
	json_str(j, "worst_alarm", level_name(d->worst_alarm));
	json_uint(j, "alarm_count", d->n_alarms);
	json_obj_close(j);
}

static void write_sts_state(struct json *j, const struct derived *d)
{
	json_obj_open(j, "sts");
	json_str(j, "source1", source_state_text(d->sts_source1));
	json_str(j, "source2", source_state_text(d->sts_source2));
	if (d->sts_preferred)
		json_uint(j, "preferred", d->sts_preferred);
	else
		json_put_null(j, "preferred");
	json_obj_close(j);
}

static bool bit_set(const uint16_t *words, size_t index)
{
	return (words[index / 16] >> (index % 16)) & 1;
}

/* Active bits with a managed level (alarms) or any active bit (status). */
static void write_bits(struct json *j, const char *key, const struct bit_def *defs, size_t n,
		       const uint16_t *words, bool managed_only)
{
	json_arr_open(j, key);
	for (size_t i = 0; i < n && i < MODEL_ALARM_WORDS * 16; i++) {
		if (!defs[i].acronym || !bit_set(words, i))
			continue;
		if (managed_only && defs[i].level == LEVEL_NONE)
			continue;
		json_obj_open(j, NULL);
		json_str(j, "code", defs[i].acronym);
		json_str(j, "severity", level_name(defs[i].level));
		json_str(j, "text", defs[i].text);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void write_flags(struct json *j, const struct level_data *l)
{
	json_arr_open(j, "flags");
	for (int f = 0; f < _FLAG_COUNT; f++)
		if (model_flag(l, f))
			json_str(j, NULL, flag_name(f));
	json_arr_close(j);
}

static void write_measurements(struct json *j, const struct map_def *map, const struct level_data *l)
{
	json_obj_open(j, "measurements");
	for (size_t i = 0; map && i < map->n_meas; i++)
		json_num(j, meas_defs[map->meas[i].id].key, l->meas[map->meas[i].id]);
	json_obj_close(j);
}

static void write_level(struct json *j, const struct map_def *map, const struct level_data *l)
{
	json_obj_open(j, NULL);
	json_str(j, "kind", level_kind_name(l->kind));
	json_uint(j, "unit", l->unit);
	json_uint(j, "module", l->module);
	json_bool(j, "present", l->present);
	json_bool(j, "valid", l->valid);
	write_derived(j, &l->d);
	if (map && map->id == MAP_STS)
		write_sts_state(j, &l->d);
	write_flags(j, l);
	write_measurements(j, map, l);
	if (map) {
		write_bits(j, "alarms", map->alarm_bits, map->n_alarm_bits, l->alarms, true);
		write_bits(j, "status_bits", map->status_bits, map->n_status_bits, l->status, false);
	}
	json_obj_close(j);
}

static void write_link(struct json *j, const struct link_stats *st)
{
	json_obj_open(j, "link");
	json_uint(j, "transactions", st->transactions);
	json_uint(j, "bytes_tx", st->bytes_tx);
	json_uint(j, "bytes_rx", st->bytes_rx);
	json_uint(j, "crc_errors", st->crc_errors);
	json_uint(j, "timeouts", st->timeouts);
	json_uint(j, "exceptions", st->exceptions);
	json_uint(j, "other_errors", st->other_errors);
	json_uint(j, "reopens", st->reopens);
	json_num(j, "cycle_ms", st->last_cycle_ms);
	json_uint(j, "cycle_transactions", st->last_cycle_transactions);
	json_uint(j, "cycle_bytes", st->last_cycle_bytes);
	json_obj_close(j);
}

void snapjson_write(struct json *j, const char *key, const struct snapshot *s)
{
	json_obj_open(j, key);
	snapjson_members(j, s);
	json_obj_close(j);
}

void snapjson_members(struct json *j, const struct snapshot *s)
{
	const struct map_def *map = map_get(s->id.map);

	json_uint(j, "seq", s->seq);
	write_time(j, "time", &s->taken);
	json_str(j, "comm", comm_state_name(s->comm));
	json_str(j, "device", s->device);
	json_uint(j, "baud", s->baud);
	write_identity(j, &s->id);
	write_topology(j, &s->topo);
	json_arr_open(j, "levels");
	for (size_t i = 0; i < s->n_levels; i++)
		write_level(j, map, &s->levels[i]);
	json_arr_close(j);
	write_link(j, &s->stats);
}

void snapjson_alarms(struct json *j, const char *key, const struct snapshot *s)
{
	const struct map_def *map = map_get(s->id.map);

	json_arr_open(j, key);
	for (size_t i = 0; map && i < s->n_levels; i++) {
		const struct level_data *l = &s->levels[i];

		if (!l->valid)
			continue;
		for (size_t b = 0; b < map->n_alarm_bits && b < MODEL_ALARM_WORDS * 16; b++) {
			const struct bit_def *d = &map->alarm_bits[b];

			if (!d->acronym || d->level == LEVEL_NONE || !bit_set(l->alarms, b))
				continue;
			json_obj_open(j, NULL);
			json_str(j, "level", level_kind_name(l->kind));
			json_uint(j, "unit", l->unit);
			json_uint(j, "module", l->module);
			json_str(j, "code", d->acronym);
			json_str(j, "severity", level_name(d->level));
			json_str(j, "text", d->text);
			json_obj_close(j);
		}
	}
	json_arr_close(j);
}
