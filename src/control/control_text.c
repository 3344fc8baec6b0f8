#include "control/control_text.h"

#include <stdio.h>
#include <stdlib.h>

#include "device/maptab.h"

static void put_meas(FILE *f, const struct level_data *l, enum meas_id id, const char *label)
{
	if (!meas_available(l->meas[id]))
		return;
	fprintf(f, "  %-24s %g %s\n", label, l->meas[id], meas_unit_symbol(meas_defs[id].unit));
}

static void put_level(FILE *f, const struct level_data *l)
{
	static const struct { enum meas_id id; const char *label; } shown[] = {
		{ MEAS_INPUT_V_L1, "input voltage L1" },
		{ MEAS_INPUT_FREQ, "input frequency" },
		{ MEAS_OUTPUT_V_L1, "output voltage L1" },
		{ MEAS_OUTPUT_FREQ, "output frequency" },
		{ MEAS_OUTPUT_LOAD, "output load" },
		{ MEAS_OUTPUT_I_L1, "output current L1" },
		{ MEAS_BATTERY_CHARGE, "battery charge" },
		{ MEAS_BATTERY_RUNTIME, "remaining backup time" },
		{ MEAS_AMBIENT_TEMP, "temperature" },
		{ MEAS_STS_S1_V_L1, "source 1 voltage L1" },
		{ MEAS_STS_S2_V_L1, "source 2 voltage L1" },
	};

	fprintf(f, "  %-24s %s\n", "status", ups_status_text(l->d.ups_status));
	fprintf(f, "  %-24s %s\n", "output source", output_source_text(l->d.output_source));
	fprintf(f, "  %-24s %s\n", "battery", battery_status_text(l->d.battery_status));
	fprintf(f, "  %-24s %u (worst: %s)\n", "alarms", l->d.n_alarms, level_name(l->d.worst_alarm));
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		put_meas(f, l, shown[i].id, shown[i].label);
}

/* The memstream sets *buf and *len only at fclose. */
static char *finish(FILE *f, char **buf)
{
	if (fclose(f) != 0) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

char *control_status_text(const struct snapshot *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (!s) {
		fprintf(f, "communication: starting (no answer from the device yet)\n");
		return finish(f, &buf);
	}
	fprintf(f, "device:        %s (%u baud)\n", s->device, s->baud);
	fprintf(f, "communication: %s\n", comm_state_name(s->comm));
	if (s->id.map != MAP_NONE) {
		fprintf(f, "map:           %s\n", map_name(s->id.map));
		fprintf(f, "model:         %s\n", s->id.range[0] ? s->id.range : "(unknown range)");
		fprintf(f, "serial number: %s\n", s->id.serial);
		fprintf(f, "topology:      %s", topology_name(s->topo.kind));
		if (s->topo.n_units)
			fprintf(f, ", %u units", s->topo.n_units);
		if (s->topo.n_modules)
			fprintf(f, ", %u modules", s->topo.n_modules);
		if (s->topo.bypass != BYPASS_NONE)
			fprintf(f, ", %s bypass", bypass_name(s->topo.bypass));
		fputc('\n', f);
	}
	if (s->n_levels && s->levels[0].valid) {
		fprintf(f, "system:\n");
		put_level(f, &s->levels[0]);
	}
	fprintf(f, "link:          %llu transactions, %llu CRC errors, %llu timeouts, last cycle %.0f ms\n",
		(unsigned long long)s->stats.transactions, (unsigned long long)s->stats.crc_errors,
		(unsigned long long)s->stats.timeouts, s->stats.last_cycle_ms);
	return finish(f, &buf);
}

char *control_alarms_text(const struct snapshot *s, size_t *len)
{
	const struct map_def *map = s ? map_get(s->id.map) : NULL;
	unsigned n = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	for (size_t i = 0; map && i < s->n_levels; i++) {
		const struct level_data *l = &s->levels[i];

		for (size_t b = 0; l->valid && b < map->n_alarm_bits && b < MODEL_ALARM_WORDS * 16; b++) {
			const struct bit_def *d = &map->alarm_bits[b];

			if (!d->acronym || d->level == LEVEL_NONE || !((l->alarms[b / 16] >> (b % 16)) & 1))
				continue;
			if (l->kind == LEVEL_SYSTEM)
				fprintf(f, "%c %-5s system      %s\n", level_letter(d->level), d->acronym, d->text);
			else
				fprintf(f, "%c %-5s unit %u%s%.0u %s\n", level_letter(d->level), d->acronym,
					l->unit, l->module ? " module " : "", l->module, d->text);
			n++;
		}
	}
	if (!n)
		fprintf(f, "no active alarm\n");
	return finish(f, &buf);
}
