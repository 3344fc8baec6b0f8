#include "device/detect.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "device/decode.h"
#include "device/plan.h"

const unsigned detect_speeds[4] = { 9600, 19200, 57600, 2400 };

static const enum ups_map detect_maps[] = { MAP_JBUSP, MAP_VUMAP, MAP_STS };

static bool stopping(const atomic_bool *stop)
{
	return stop && atomic_load(stop);
}

/* Reads the blocks of [roles] of the level at offset and appends them
 * to res->raw. 0 or the first link error. */
static int read_blocks(struct serial_link *l, const struct map_def *map,
		       const struct poll_config *cfg, unsigned roles, uint32_t offset,
		       const atomic_bool *stop, struct detect_result *res)
{
	struct plan plan;
	int r = plan_build(&plan, map, roles, &offset, 1, serial_baud(l), cfg->extra_timeout_ms);

	if (r < 0)
		return r;
	for (size_t i = 0; i < plan.n; i++) {
		struct raw_block *b;

		if (stopping(stop))
			return -ECANCELED;
		if (res->n_raw >= DETECT_MAX_RAW)
			return -E2BIG;
		b = &res->raw[res->n_raw];
		memset(b, 0, sizeof(*b));
		b->slave = (uint8_t)cfg->slave;
		b->address = plan.reads[i].address;
		b->count = plan.reads[i].count;
		r = serial_read(l, b->address, b->count, b->regs);
		if (r < 0)
			return r;
		res->n_raw++;
	}
	return 0;
}

/* A modular system reports its units at system level; each unit's own
 * identity block (at its offset) gives that unit's modules. Module bit
 * (u-1) * modules_per_unit + (m-1), as topology_levels() reads it. */
static int detect_modules(struct serial_link *l, const struct map_def *map,
			  const struct poll_config *cfg, const atomic_bool *stop,
			  struct detect_result *res)
{
	struct topology_info *t = &res->topo;
	unsigned per_unit = t->modules_per_unit, total = 0;
	uint32_t mask = 0;

	if (t->kind != TOPO_MODULAR_SYSTEM || !cfg->per_level || !cfg->addr.unit_stride ||
	    per_unit == 0)
		return 0;
	for (uint8_t u = 1; u <= MODEL_MAX_UNITS; u++) {
		uint32_t off = level_offset(&cfg->addr, u, 0);
		size_t first = res->n_raw;
		struct regview v;
		struct identity uid;
		struct topology_info ut;
		int r;

		if (!(t->unit_mask & (1u << (u - 1))))
			continue;
		r = read_blocks(l, map, cfg, PLAN_ROLES_IDENTITY, off, stop, res);
		if (r < 0)
			return r;
		v = (struct regview){ res->raw + first, res->n_raw - first, off };
		if (decode_identity(map, &v, &uid, &ut) < 0)
			continue;
		for (unsigned m = 1; m <= per_unit; m++) {
			unsigned bit = (u - 1) * per_unit + (m - 1);

			if (bit < 32 && (ut.module_mask >> (m - 1)) & 1) {
				mask |= 1u << bit;
				total++;
			}
		}
	}
	t->n_modules = (uint8_t)(total > MODEL_MAX_MODULES ? MODEL_MAX_MODULES : total);
	t->module_mask = mask;
	return 0;
}

/* Parallel units of a JBUSP system show only in its status bits. */
static int detect_status_topology(struct serial_link *l, const struct map_def *map,
				  const struct poll_config *cfg, const atomic_bool *stop,
				  struct detect_result *res)
{
	size_t first = res->n_raw;
	struct level_data sys = { .kind = LEVEL_SYSTEM, .present = true };
	struct regview v;
	int r = read_blocks(l, map, cfg, PLAN_ROLES_FAST, 0, stop, res);

	if (r < 0)
		return r;
	v = (struct regview){ res->raw + first, res->n_raw - first, 0 };
	decode_level(map, &res->id, &v, &sys);
	decode_topology_status(map, &sys, &res->topo);
	return 0;
}

int detect_identity(struct serial_link *l, const struct map_def *map, const struct poll_config *cfg,
		    const atomic_bool *stop, struct detect_result *res)
{
	struct regview v;
	int r;

	res->n_raw = 0;
	res->map = map;
	res->baud = serial_baud(l);
	r = read_blocks(l, map, cfg, PLAN_ROLES_IDENTITY, 0, stop, res);
	if (r < 0)
		return r;
	v = (struct regview){ res->raw, res->n_raw, 0 };
	memset(&res->id, 0, sizeof(res->id));
	memset(&res->topo, 0, sizeof(res->topo));
	r = decode_identity(map, &v, &res->id, &res->topo);
	if (r < 0)
		return r == -ENOENT ? -EINVAL : r;
	r = detect_status_topology(l, map, cfg, stop, res);
	if (r < 0)
		return r;
	return detect_modules(l, map, cfg, stop, res);
}

/* Probes every candidate map at the link's speed: 0 when one answers
 * and decodes, -ENOMSG when none does, -ENODEV/-ECANCELED as is. */
static int detect_maps_at(struct serial_link *l, const struct poll_config *cfg,
			  const atomic_bool *stop, struct detect_result *res)
{
	for (size_t i = 0; i < sizeof(detect_maps) / sizeof(detect_maps[0]); i++) {
		const struct map_def *map;
		int r;

		if (cfg->map != MAP_NONE && cfg->map != detect_maps[i])
			continue;
		map = map_get(detect_maps[i]);
		if (!map)
			continue;
		r = detect_identity(l, map, cfg, stop, res);
		if (r == 0 || r == -ENODEV || r == -ECANCELED)
			return r;
	}
	return -ENOMSG;
}

int detect_run(struct serial_link **link, const struct poll_config *cfg, struct link_stats *stats,
	       struct trace *trace, const atomic_bool *stop, struct detect_result *res)
{
	const unsigned *speeds = cfg->baud ? &cfg->baud : detect_speeds;
	size_t n_speeds = cfg->baud ? 1 : sizeof(detect_speeds) / sizeof(detect_speeds[0]);

	for (size_t i = 0; i < n_speeds; i++) {
		struct serial_link *l = NULL;
		int r = serial_open(&l, cfg->device, speeds[i], cfg->slave, cfg->extra_timeout_ms,
				    stats, trace);

		if (r < 0)
			return r;
		r = detect_maps_at(l, cfg, stop, res);
		if (r == 0) {
			*link = l;
			return 0;
		}
		serial_close(l);
		if (r != -ENOMSG)
			return r;
	}
	return -ENOMSG;
}

void detect_describe(const struct detect_result *res, char *buf, size_t len)
{
	const struct topology_info *t = &res->topo;
	char topo[96];

	switch (t->kind) {
	case TOPO_PARALLEL:
		snprintf(topo, sizeof(topo), "parallel (%u units%s%s)", t->n_units,
			 t->bypass ? ", " : "", t->bypass ? bypass_name(t->bypass) : "");
		if (t->bypass)
			snprintf(topo + strlen(topo) - 1, sizeof(topo) - strlen(topo) + 1, " bypass)");
		break;
	case TOPO_MODULAR_UNIT:
		snprintf(topo, sizeof(topo), "modular unit (%u modules)", t->n_modules);
		break;
	case TOPO_MODULAR_SYSTEM:
		snprintf(topo, sizeof(topo), "modular system (%u units, %u modules)",
			 t->n_units, t->n_modules);
		break;
	default:
		snprintf(topo, sizeof(topo), "%s", topology_name(t->kind));
		break;
	}
	snprintf(buf, len, "%s at %u baud: %s, serial %s, topology %s",
		 res->map ? res->map->name : "?", res->baud,
		 res->id.range[0] ? res->id.range : "unknown range",
		 res->id.serial[0] ? res->id.serial : "unknown", topo);
}
