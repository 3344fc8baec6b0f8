/* The simulator's Modbus slave: routes each register to a level's image
 * or to the system's clock, permission and command words, runs the
 * controls, injects faults. Every function here runs with the lock held. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "device/sim_priv.h"

enum special_kind { SP_CLOCK, SP_PERMISSION, SP_COMMAND };

/* System-only words outside the level windows (docs/simulator.md). */
struct special {
	enum ups_map map;
	uint16_t lo, hi;
	enum special_kind kind;
	uint16_t value;             /* permission words */
};

static const struct special specials[] = {
	{ MAP_JBUSP, 0x1360, 0x1363, SP_CLOCK, 0 },
	{ MAP_JBUSP, 0x15B0, 0x15B0, SP_COMMAND, 0 },
	/* bits 3, 4, 10, 11 = codes eco, normal, bypass, inverter */
	{ MAP_JBUSP, 0x15C0, 0x15C0, SP_PERMISSION, 0x0C18 },
	{ MAP_JBUSP, 0x15C1, 0x15C1, SP_PERMISSION, 0x0000 },
	/* §5.1: permissions 0x00C7-0x00C8, commands 0x00C9-0x00CA */
	{ MAP_VUMAP, 0x00C7, 0x00C7, SP_PERMISSION, 0x0001 },   /* P000 remote enabled */
	{ MAP_VUMAP, 0x00C8, 0x00C8, SP_PERMISSION, 0x9003 },   /* P016 P017 P028 P031 */
	{ MAP_VUMAP, 0x00C9, 0x00CA, SP_COMMAND, 0 },
	{ MAP_VUMAP, 0x00CB, 0x00CE, SP_CLOCK, 0 },
	{ MAP_STS, 0x0150, 0x0150, SP_PERMISSION, 0x0033 },     /* P00 P01 P04 P05 */
	{ MAP_STS, 0x0190, 0x0190, SP_COMMAND, 0 },
};

#define JBUSP_CMD_ECO      0x0003
#define JBUSP_CMD_NORMAL   0x0004
#define JBUSP_CMD_BYPASS   0x000A
#define JBUSP_CMD_INVERTER 0x000B

static const struct special *find_special(const struct sim *s, uint32_t addr)
{
	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (specials[i].map == s->map->id && addr >= specials[i].lo && addr <= specials[i].hi)
			return &specials[i];
	return NULL;
}

static uint32_t level_offset_of(const struct sim *s, const struct sim_level *l)
{
	return (uint32_t)l->unit * s->opt.unit_stride + (uint32_t)l->module * s->opt.module_stride;
}

/* Which level serves a device address, and at which map address. */
static int find_level(const struct sim *s, uint32_t addr, uint16_t *map_addr)
{
	for (size_t i = 0; i < s->phys.n_levels; i++) {
		uint32_t off = level_offset_of(s, &s->phys.levels[i]);
		if (addr < off || addr - off > 0xFFFF)
			continue;
		if (sim_image_in_window(s->map, (uint16_t)(addr - off))) {
			*map_addr = (uint16_t)(addr - off);
			return (int)i;
		}
	}
	return -1;
}

void sim_level_bits(const struct sim *s, size_t level, struct sim_bits *out)
{
	sim_image_bits(s->map, &s->phys, level, out);
	for (size_t w = 0; w < SIM_BITS_MAX / 64; w++) {
		out->status[w] = (out->status[w] | s->force_on[level].status[w]) & ~s->force_off[level].status[w];
		out->alarm[w] = (out->alarm[w] | s->force_on[level].alarm[w]) & ~s->force_off[level].alarm[w];
	}
}

/* The device clock words (same packing on JBUSP 0x1360 and VU-MAP 0x00CB):
 * minute:second, day:hour, month:weekday (1 = Monday), year - 2000. */
static uint16_t clock_word(const struct sim *s, unsigned i)
{
	time_t now = time(NULL) + s->clock_offset;
	struct tm tm;

	localtime_r(&now, &tm);
	switch (i) {
	case 0: return (uint16_t)(tm.tm_min << 8 | tm.tm_sec);
	case 1: return (uint16_t)(tm.tm_mday << 8 | tm.tm_hour);
	case 2: return (uint16_t)((tm.tm_mon + 1) << 8 | (tm.tm_wday ? tm.tm_wday : 7));
	default: return (uint16_t)(tm.tm_year + 1900 - 2000);
	}
}

static int read_regs(struct sim *s, uint16_t start, uint16_t count, uint16_t *out)
{
	struct sim_bits bits;
	int bits_level = -1;

	for (unsigned i = 0; i < count; i++) {
		uint32_t addr = (uint32_t)start + i;
		uint16_t map_addr;
		int lvl = addr <= 0xFFFF ? find_level(s, addr, &map_addr) : -1;

		if (lvl >= 0) {
			if (lvl != bits_level) {
				sim_level_bits(s, (size_t)lvl, &bits);
				bits_level = lvl;
			}
			out[i] = sim_image_reg(s->map, &s->phys, (size_t)lvl, &bits, map_addr);
			continue;
		}
		const struct special *sp = addr <= 0xFFFF ? find_special(s, addr) : NULL;
		if (!sp)
			return RTU_EX_ILLEGAL_ADDRESS;
		out[i] = sp->kind == SP_CLOCK ? clock_word(s, addr - sp->lo)
		       : sp->kind == SP_PERMISSION ? sp->value : 0;
	}
	return 0;
}

static int run_jbusp(struct sim *s, uint16_t code)
{
	switch (code) {
	case JBUSP_CMD_ECO: s->phys.eco = true; break;
	case JBUSP_CMD_NORMAL: s->phys.eco = false; break;
	case JBUSP_CMD_BYPASS: s->phys.on_bypass = true; break;
	case JBUSP_CMD_INVERTER: s->phys.on_bypass = false; break;
	default: return RTU_EX_ILLEGAL_VALUE;
	}
	return 0;
}

/* One command bit Cnn (VU-MAP C000-C031, STS C00-C15). */
static int run_bit(struct sim *s, unsigned bit)
{
	if (s->map->id == MAP_VUMAP) {
		switch (bit) {
		case 16: s->phys.eco = true; return 0;             /* C016 eco mode on */
		case 17: s->phys.eco = false; return 0;            /* C017 eco mode off */
		case 28:                                           /* C028 battery test */
			if (s->phys.mains_ok && !s->phys.load_off)
				s->phys.battery_test_left = SIM_BATTERY_TEST_S;
			return 0;
		case 31:                                           /* C031 reset alarm */
			for (size_t l = 0; l < s->phys.n_levels; l++)
				memset(s->force_on[l].alarm, 0, sizeof(s->force_on[l].alarm));
			return 0;
		default: return RTU_EX_ILLEGAL_VALUE;
		}
	}
	switch (bit) {
	case 0: s->phys.sts_on_alternate = false; return 0;        /* C00 close SSP */
	case 1: s->phys.sts_on_alternate = true; return 0;         /* C01 close SSA */
	case 4: s->phys.sts_preferred = 1; return 0;               /* C04 S1 preferred */
	case 5: s->phys.sts_preferred = 2; return 0;               /* C05 S2 preferred */
	default: return RTU_EX_ILLEGAL_VALUE;
	}
}

static int write_clock(struct sim *s, const uint16_t *v)
{
	struct tm tm = { 0 };

	tm.tm_min = v[0] >> 8;
	tm.tm_sec = v[0] & 0xFF;
	tm.tm_mday = v[1] >> 8;
	tm.tm_hour = v[1] & 0xFF;
	tm.tm_mon = (v[2] >> 8) - 1;
	tm.tm_year = v[3] + 100;
	tm.tm_isdst = -1;
	if (tm.tm_min > 59 || tm.tm_sec > 59 || tm.tm_hour > 23 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_mon < 0 || tm.tm_mon > 11 || v[3] > 99 ||
	    (v[2] & 0xFF) < 1 || (v[2] & 0xFF) > 7)
		return RTU_EX_ILLEGAL_VALUE;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return RTU_EX_ILLEGAL_VALUE;
	s->clock_offset = (long)(t - time(NULL));
	return 0;
}

/* Writes: only command words (and the VU-MAP clock, all four at once);
 * one command per request. Checks everything before changing anything. */
static int write_regs(struct sim *s, const struct rtu_request *req)
{
	const struct special *sp = find_special(s, req->address);

	if (!sp || sp->kind == SP_PERMISSION || (uint32_t)req->address + req->count - 1 > sp->hi)
		return RTU_EX_ILLEGAL_ADDRESS;
	if (sp->kind == SP_CLOCK) {
		if (req->address != sp->lo || req->count != 4)
			return RTU_EX_ILLEGAL_VALUE;
		return write_clock(s, req->values);
	}
	if (s->map->id == MAP_JBUSP)
		return run_jbusp(s, req->values[0]);

	uint32_t cmds = 0;
	for (unsigned i = 0; i < req->count; i++)
		cmds |= (uint32_t)req->values[i] << (16 * (req->address - sp->lo + i));
	if (cmds == 0)
		return 0;
	if (cmds & (cmds - 1))
		return RTU_EX_ILLEGAL_VALUE;      /* one command per request */
	return run_bit(s, (unsigned)__builtin_ctz(cmds));
}

static int handle(struct sim *s, const struct rtu_request *req, uint8_t *reply, size_t cap)
{
	uint16_t regs[RTU_MAX_READ];
	int ex;

	if (req->function == RTU_FC_READ_HOLDING || req->function == RTU_FC_READ_INPUT) {
		ex = read_regs(s, req->address, req->count, regs);
		if (ex)
			goto exception;
		s->stats.reads++;
		return rtu_build_read_reply(reply, cap, req->slave, req->function, regs, req->count);
	}
	ex = write_regs(s, req);
	if (ex)
		goto exception;
	s->stats.writes++;
	sim_physics_refresh(&s->phys);
	return rtu_build_write_reply(reply, cap, req);
exception:
	s->stats.exceptions++;
	return rtu_build_exception(reply, cap, req->slave, req->function, (uint8_t)ex);
}

static bool draw(struct sim *s, enum sim_inject kind)
{
	if (!s->inject_pct[kind])
		return false;
	return sim_rand(&s->inject_rng) % 100 < s->inject_pct[kind];
}

/* Turns a good reply into the fault asked for by `inject`. */
static size_t inject(struct sim *s, uint8_t *reply, size_t len)
{
	if (draw(s, INJECT_TIMEOUT)) {
		s->stats.injected[INJECT_TIMEOUT]++;
		return 0;
	}
	if (draw(s, INJECT_GARBAGE)) {
		size_t n = 1 + sim_rand(&s->inject_rng) % len;
		for (size_t i = 0; i < n; i++)
			reply[i] = (uint8_t)sim_rand(&s->inject_rng);
		s->stats.injected[INJECT_GARBAGE]++;
		return n;
	}
	if (draw(s, INJECT_CRC)) {
		reply[len - 1] ^= 0xA5;
		s->stats.injected[INJECT_CRC]++;
	}
	return len;
}

size_t sim_serve_frame(struct sim *s, const uint8_t *frame, size_t len,
		       uint8_t *reply, size_t cap)
{
	struct rtu_request req;
	int r = rtu_parse_request(frame, len, &req);

	if (r == -EBADMSG) {
		s->stats.bad_frames++;
		return 0;
	}
	if (req.slave != s->opt.slave && req.slave != 0) {
		s->stats.other_slave++;
		return 0;
	}
	s->stats.transactions++;
	if (r == -ENOTSUP || r == -ERANGE) {
		if (req.slave == 0)
			return 0;
		s->stats.exceptions++;
		r = rtu_build_exception(reply, cap, req.slave, req.function,
					r == -ENOTSUP ? RTU_EX_ILLEGAL_FUNCTION : RTU_EX_ILLEGAL_VALUE);
		return r > 0 ? inject(s, reply, (size_t)r) : 0;
	}
	if (req.slave == 0) {
		/* broadcast: writes are carried out, nothing is answered */
		if (req.function == RTU_FC_WRITE_SINGLE || req.function == RTU_FC_WRITE_MULTIPLE)
			(void)handle(s, &req, reply, cap);
		return 0;
	}
	r = handle(s, &req, reply, cap);
	return r > 0 ? inject(s, reply, (size_t)r) : 0;
}
