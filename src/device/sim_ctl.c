/* Simulator control commands ("ac-fail", "load 40", "stats"...): one
 * table of {name, arguments, handler}; every argument is checked before
 * anything changes. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/sim_priv.h"

#define MAX_ARGS 6

struct ctl_cmd {
	const char *name;
	int min_args, max_args;
	bool per_level;             /* accepts a "unit N" prefix */
	int (*run)(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len);
	const char *usage;
};

static int fail(char *reply, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *reply, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(reply, len, "error: ");

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < len)
		vsnprintf(reply + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int ok(char *reply, size_t len)
{
	snprintf(reply, len, "ok");
	return 0;
}

/* A number in [lo, hi], the whole token. */
static int parse_number(const char *tok, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(tok, &end);
	if (errno || end == tok || *end || !isfinite(v) || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int cmd_ac_fail(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	s->phys.mains_ok = false;
	sim_physics_refresh(&s->phys);
	return ok(reply, len);
}

static int cmd_ac_restore(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	s->phys.mains_ok = true;
	s->phys.load_off = false;       /* the UPS restarts on mains return */
	sim_physics_refresh(&s->phys);
	return ok(reply, len);
}

/* "NAME PERCENT" into one physics field; nothing changes on bad input. */
static int set_percent(struct sim *s, char **argv, double max, double *field, char *reply, size_t len)
{
	double v;

	if (parse_number(argv[1], 0, max, &v) < 0)
		return fail(reply, len, "%s: expected a percentage 0..%g, got '%s'", argv[0], max, argv[1]);
	*field = v;
	sim_physics_refresh(&s->phys);
	return ok(reply, len);
}

static int cmd_load(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	return set_percent(s, argv, 150, &s->phys.load, reply, len);
}

static int cmd_battery(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	return set_percent(s, argv, 100, &s->phys.charge, reply, len);
}

static int cmd_bit(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	enum bit_source want = strcmp(argv[0], "alarm") == 0 ? SRC_ALARM : SRC_STATUS;
	enum bit_source src;
	unsigned index;
	const char *mode = argv[2];

	if (sim_image_find_bit(s->map, argv[1], &src, &index) < 0)
		return fail(reply, len, "%s: no bit '%s' in the %s map", argv[0], argv[1], s->map->name);
	if (src != want)
		return fail(reply, len, "%s: '%s' is %s bit", argv[0], argv[1],
			    src == SRC_ALARM ? "an alarm" : "a status");
	if (strcmp(mode, "on") && strcmp(mode, "off") && strcmp(mode, "auto"))
		return fail(reply, len, "%s: expected on, off or auto, got '%s'", argv[0], mode);

	uint64_t *on = src == SRC_ALARM ? s->force_on[level].alarm : s->force_on[level].status;
	uint64_t *off = src == SRC_ALARM ? s->force_off[level].alarm : s->force_off[level].status;
	sim_bits_put(on, index, strcmp(mode, "on") == 0);
	sim_bits_put(off, index, strcmp(mode, "off") == 0);
	return ok(reply, len);
}

static int cmd_unplug(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	double v;

	if (parse_number(argv[1], 0.1, 3600, &v) < 0)
		return fail(reply, len, "unplug: expected seconds 0.1..3600, got '%s'", argv[1]);
	if (s->unplug_request > 0)
		return fail(reply, len, "unplug: already unplugged");
	s->unplug_request = v;
	sim_wake(s);
	return ok(reply, len);
}

static int cmd_inject(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	static const char *const kinds[_INJECT_COUNT] = { "crc", "timeout", "garbage" };
	double v;
	int kind = -1;

	for (int i = 0; i < _INJECT_COUNT; i++)
		if (strcmp(argv[1], kinds[i]) == 0)
			kind = i;
	if (kind < 0)
		return fail(reply, len, "inject: expected crc, timeout or garbage, got '%s'", argv[1]);
	if (parse_number(argv[2], 0, 100, &v) < 0 || v != floor(v))
		return fail(reply, len, "inject: expected a whole percentage 0..100, got '%s'", argv[2]);
	s->inject_pct[kind] = (unsigned)v;
	return ok(reply, len);
}

/* Appends to a JSON reply; -ENOBUFS once it no longer fits. */
struct out {
	char *buf;
	size_t len, pos;
	bool full;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->full)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->pos)
		o->full = true;
	else
		o->pos += (size_t)n;
}

static int finish(struct out *o, char *reply, size_t len)
{
	if (o->full)
		return fail(reply, len, "reply too long");
	return 0;
}

static const char *topo_spec(const struct sim *s, char *buf, size_t len)
{
	switch (s->opt.topo) {
	case TOPO_MODULAR_UNIT: snprintf(buf, len, "modular:%u", s->opt.modules); break;
	case TOPO_PARALLEL: snprintf(buf, len, "parallel:%u", s->opt.units); break;
	case TOPO_MODULAR_SYSTEM: snprintf(buf, len, "modular-parallel:%ux%u", s->opt.units, s->opt.modules); break;
	case TOPO_STS: snprintf(buf, len, "sts"); break;
	default: snprintf(buf, len, "single"); break;
	}
	return buf;
}

static int cmd_stats(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	const struct sim_stats *st = &s->stats;
	struct out o = { reply, len, 0, false };
	char topo[40];

	put(&o, "{\"transactions\":%llu,\"bytes_rx\":%llu,\"bytes_tx\":%llu,"
		"\"crc_errors_injected\":%llu,\"timeouts_injected\":%llu,\"garbage_injected\":%llu,"
		"\"bad_frames\":%llu,\"exceptions\":%llu,\"reads\":%llu,\"writes\":%llu,"
		"\"other_slave\":%llu,\"baud_mismatch\":%llu,\"unplugs\":%llu,\"baud\":%u,"
		"\"slave\":%d,\"map\":\"%s\",\"topology\":\"%s\",\"plugged\":%s,\"pty\":\"%s\"}",
	    (unsigned long long)st->transactions, (unsigned long long)st->bytes_rx,
	    (unsigned long long)st->bytes_tx, (unsigned long long)st->injected[INJECT_CRC],
	    (unsigned long long)st->injected[INJECT_TIMEOUT],
	    (unsigned long long)st->injected[INJECT_GARBAGE], (unsigned long long)st->bad_frames,
	    (unsigned long long)st->exceptions, (unsigned long long)st->reads,
	    (unsigned long long)st->writes, (unsigned long long)st->other_slave,
	    (unsigned long long)st->baud_mismatch, (unsigned long long)st->unplugs, s->opt.baud,
	    s->opt.slave, s->map->name, topo_spec(s, topo, sizeof(topo)),
	    s->unplug_request > 0 ? "false" : "true", s->pty);
	return finish(&o, reply, len);
}

/* The level's measurements as its registers carry them (what an exact
 * decoder reads back), keyed by meas.h's keys; unavailable ones left out. */
static int cmd_values(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	const struct sim_level *l = &s->phys.levels[level];
	unsigned factor = sim_image_factor(s->map);
	struct out o = { reply, len, 0, false };
	bool done[_MEAS_COUNT] = { false };
	const char *sep = "";

	put(&o, "{");
	for (size_t i = 0; i < s->map->n_meas; i++) {
		const struct meas_reg *r = &s->map->meas[i];
		if (r->id >= _MEAS_COUNT || done[r->id])
			continue;
		done[r->id] = true;
		double v = sim_image_decode(r, factor, sim_image_encode(r, factor, l->meas[r->id]));
		if (isnan(v))
			continue;
		put(&o, "%s\"%s\":%.10g", sep, meas_defs[r->id].key, v);
		sep = ",";
	}
	put(&o, "}");
	return finish(&o, reply, len);
}

static int cmd_help(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len);

static const struct ctl_cmd commands[] = {
	{ "ac-fail", 0, 0, false, cmd_ac_fail, "ac-fail" },
	{ "ac-restore", 0, 0, false, cmd_ac_restore, "ac-restore" },
	{ "load", 1, 1, false, cmd_load, "load PERCENT" },
	{ "battery", 1, 1, false, cmd_battery, "battery PERCENT" },
	{ "alarm", 2, 2, true, cmd_bit, "[unit N] alarm ACRONYM on|off|auto" },
	{ "status", 2, 2, true, cmd_bit, "[unit N] status ACRONYM on|off|auto" },
	{ "unplug", 1, 1, false, cmd_unplug, "unplug SECONDS" },
	{ "inject", 2, 2, false, cmd_inject, "inject crc|timeout|garbage PERCENT" },
	{ "stats", 0, 0, false, cmd_stats, "stats" },
	{ "values", 0, 0, true, cmd_values, "[unit N] values" },
	{ "help", 0, 0, false, cmd_help, "help" },
};

static int cmd_help(struct sim *s, size_t level, char **argv, int argc, char *reply, size_t len)
{
	struct out o = { reply, len, 0, false };

	put(&o, "ok: commands:");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		put(&o, "%s %s", i ? "," : "", commands[i].usage);
	return finish(&o, reply, len);
}

/* "unit N" -> the level index of unit N. */
static int unit_level(const struct sim *s, const char *tok, size_t *level)
{
	double v;

	if (parse_number(tok, 1, MODEL_MAX_UNITS, &v) < 0 || v != floor(v))
		return -EINVAL;
	for (size_t i = 0; i < s->phys.n_levels; i++) {
		if (s->phys.levels[i].kind == LEVEL_UNIT && s->phys.levels[i].unit == (unsigned)v) {
			*level = i;
			return 0;
		}
	}
	return -ENOENT;
}

int sim_ctl_locked(struct sim *s, char *line, char *reply, size_t len)
{
	char *argv[MAX_ARGS + 1], *save = NULL, *tok;
	int argc = 0;
	size_t level = 0;

	if (strlen(line) >= SIM_CTL_LINE)
		return fail(reply, len, "command line too long");
	for (tok = strtok_r(line, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_ARGS)
			return fail(reply, len, "too many arguments");
		argv[argc++] = tok;
	}
	if (argc == 0)
		return fail(reply, len, "empty command (try help)");
	char **args = argv;
	bool prefixed = false;
	if (strcmp(argv[0], "unit") == 0) {
		if (argc < 3)
			return fail(reply, len, "usage: unit N alarm|status|values ...");
		int r = unit_level(s, argv[1], &level);
		if (r < 0)
			return fail(reply, len, "unit: no unit '%s' in this topology", argv[1]);
		args += 2;
		argc -= 2;
		prefixed = true;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct ctl_cmd *c = &commands[i];
		if (strcmp(args[0], c->name))
			continue;
		if (argc - 1 < c->min_args || argc - 1 > c->max_args)
			return fail(reply, len, "usage: %s", c->usage);
		if (prefixed && !c->per_level)
			return fail(reply, len, "%s applies to the whole system, not to one unit", c->name);
		return c->run(s, level, args, argc, reply, len);
	}
	return fail(reply, len, "unknown command '%s' (try help)", args[0]);
}
