/* Simulator physics, register image and slave: values per scenario,
 * seeded noise, bits per the map tables, addressing and exceptions,
 * controls, fault injection, ctl commands; and a round trip through the
 * real decoder for every topology. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/decode.h"
#include "device/sim_priv.h"

static int failures;

#define CHECK(cond) do { \
	if (cond) { printf("ok - %s\n", #cond); } \
	else { printf("not ok - %s (%s:%d)\n", #cond, __FILE__, __LINE__); failures++; } \
} while (0)

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

/* A simulator without thread or line: the slave and ctl run directly. */
static struct sim *sim_new(enum ups_map map, const char *topo, unsigned seed, bool noise)
{
	struct sim *s = calloc(1, sizeof(*s));

	sim_options_defaults(&s->opt);
	s->opt.map = map;
	s->opt.seed = seed;
	if (sim_parse_topology(&s->opt, topo) < 0)
		abort();
	s->map = map_get(map);
	s->wake_fd = s->ctl_fd = -1;
	s->inject_rng = 0xD1B54A32D192ED03ULL ^ ((uint64_t)seed << 1 | 1);
	if (sim_physics_init(&s->phys, map, s->opt.topo, s->opt.units, s->opt.modules, seed, noise) < 0)
		abort();
	return s;
}

/* One request through the slave; returns the reply length. */
static size_t transact(struct sim *s, const uint8_t *req, int len, uint8_t *reply)
{
	if (len <= 0)
		abort();
	return sim_serve_frame(s, req, (size_t)len, reply, RTU_MAX_FRAME);
}

static int read_regs(struct sim *s, uint16_t addr, uint16_t count, uint16_t *out, uint8_t *ex)
{
	uint8_t req[RTU_MAX_FRAME], reply[RTU_MAX_FRAME];
	struct rtu_request r;
	int n = rtu_build_read_request(req, sizeof(req), (uint8_t)s->opt.slave, 3, addr, count);

	rtu_parse_request(req, (size_t)n, &r);
	size_t m = transact(s, req, n, reply);
	if (!m)
		return -ETIMEDOUT;
	return rtu_parse_reply(reply, m, &r, out, RTU_MAX_READ, ex);
}

static int write_regs(struct sim *s, uint16_t addr, const uint16_t *v, uint16_t count, uint8_t *ex)
{
	uint8_t req[RTU_MAX_FRAME], reply[RTU_MAX_FRAME];
	struct rtu_request r;
	int n = rtu_build_write_request(req, sizeof(req), (uint8_t)s->opt.slave, addr, v, count);

	rtu_parse_request(req, (size_t)n, &r);
	size_t m = transact(s, req, n, reply);
	if (!m)
		return -ETIMEDOUT;
	return rtu_parse_reply(reply, m, &r, NULL, 0, ex);
}

static int ctl(struct sim *s, const char *cmd)
{
	char line[SIM_CTL_LINE], reply[SIM_CTL_REPLY];

	snprintf(line, sizeof(line), "%s", cmd);
	return sim_ctl_locked(s, line, reply, sizeof(reply));
}

static void test_topology_check(void)
{
	CHECK(sim_topology_check(MAP_JBUSP, TOPO_SINGLE, 0, 0, NULL, 0) == 0);
	CHECK(sim_topology_check(MAP_JBUSP, TOPO_PARALLEL, 6, 0, NULL, 0) == 0);
	CHECK(sim_topology_check(MAP_JBUSP, TOPO_PARALLEL, 7, 0, NULL, 0) == -EINVAL);
	CHECK(sim_topology_check(MAP_VUMAP, TOPO_PARALLEL, 10, 0, NULL, 0) == 0);
	CHECK(sim_topology_check(MAP_VUMAP, TOPO_PARALLEL, 11, 0, NULL, 0) == -EINVAL);
	CHECK(sim_topology_check(MAP_VUMAP, TOPO_PARALLEL, 1, 0, NULL, 0) == -EINVAL);
	CHECK(sim_topology_check(MAP_VUMAP, TOPO_MODULAR_UNIT, 0, 8, NULL, 0) == 0);
	CHECK(sim_topology_check(MAP_VUMAP, TOPO_MODULAR_UNIT, 0, 9, NULL, 0) == -EINVAL);
	CHECK(sim_topology_check(MAP_VUMAP, TOPO_MODULAR_SYSTEM, 4, 6, NULL, 0) == 0);
	CHECK(sim_topology_check(MAP_VUMAP, TOPO_MODULAR_SYSTEM, 5, 2, NULL, 0) == -EINVAL);
	CHECK(sim_topology_check(MAP_JBUSP, TOPO_MODULAR_SYSTEM, 2, 2, NULL, 0) == -EINVAL);
	CHECK(sim_topology_check(MAP_STS, TOPO_STS, 0, 0, NULL, 0) == 0);
	CHECK(sim_topology_check(MAP_STS, TOPO_SINGLE, 0, 0, NULL, 0) == -EINVAL);
	CHECK(sim_topology_check(MAP_JBUSP, TOPO_STS, 0, 0, NULL, 0) == -EINVAL);

	char why[128] = "";
	sim_topology_check(MAP_JBUSP, TOPO_PARALLEL, 9, 0, why, sizeof(why));
	CHECK(strstr(why, "6") != NULL);

	struct sim_options o;
	sim_options_defaults(&o);
	CHECK(sim_parse_topology(&o, "modular-parallel:3x4") == 0 && o.units == 3 && o.modules == 4 &&
	      o.topo == TOPO_MODULAR_SYSTEM);
	CHECK(sim_parse_topology(&o, "parallel:") == -EINVAL);
	CHECK(sim_parse_topology(&o, "parallel:3x") == -EINVAL);
	CHECK(sim_parse_topology(&o, "modular:-1") == -EINVAL);
	CHECK(sim_parse_topology(&o, "bogus") == -EINVAL);
	CHECK(o.topo == TOPO_MODULAR_SYSTEM && o.units == 3);   /* unchanged by errors */
}

static void test_physics(void)
{
	struct sim_physics p;
	const double *m;

	CHECK(sim_physics_init(&p, MAP_JBUSP, TOPO_SINGLE, 0, 0, 1, false) == 0);
	m = p.levels[0].meas;
	CHECK(m[MEAS_INPUT_V_L1] == 230 && m[MEAS_OUTPUT_V_L3] == 230 && m[MEAS_OUTPUT_FREQ] == 50);
	CHECK(m[MEAS_OUTPUT_LOAD] == 40 && m[MEAS_BATTERY_CHARGE] == 100);
	/* 40 % of 20 kVA on three phases at 230 V */
	CHECK(NEAR(m[MEAS_OUTPUT_I_L1], 8000.0 / 3 / 230, 1e-9));
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_LOAD_ON_INVERTER));
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_BATTERY_CHARGED));
	CHECK(!(p.levels[0].flags & SIM_BIT(FLAG_ON_BATTERY)));

	/* runtime falls with the load and the charge */
	CHECK(sim_runtime_minutes(100, 100) == SIM_RUNTIME_FULL_LOAD_MIN);
	CHECK(sim_runtime_minutes(100, 40) > sim_runtime_minutes(100, 80));
	CHECK(sim_runtime_minutes(50, 40) < sim_runtime_minutes(100, 40));
	CHECK(sim_runtime_minutes(0, 40) == 0);

	/* AC fail: inputs 0, on battery, the inverter keeps the load */
	p.mains_ok = false;
	sim_physics_refresh(&p);
	CHECK(m[MEAS_INPUT_V_L1] == 0 && m[MEAS_BYPASS_V_L1] == 0 && m[MEAS_OUTPUT_V_L1] == 230);
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_ON_BATTERY));
	CHECK(p.levels[0].flags & SIM_BIT(SIM_COND_RECT_INPUT_FAIL));
	CHECK(m[MEAS_BATTERY_I_POS] < 0);

	/* a minute at 100 % load takes 10 % of the charge */
	p.load = 100;
	sim_physics_step(&p, 60);
	CHECK(NEAR(p.charge, 90, 1e-6));
	CHECK(NEAR(m[MEAS_BATTERY_TIME_ON], 60, 1e-9));
	CHECK(NEAR(m[MEAS_BATTERY_RUNTIME], 9, 1e-6));
	CHECK(!(p.levels[0].flags & SIM_BIT(FLAG_BATTERY_LOW)));
	sim_physics_step(&p, 7.5 * 60);     /* 1.5 min left: near end of backup */
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_BATTERY_LOW));
	CHECK(!(p.levels[0].flags & SIM_BIT(FLAG_IMMINENT_STOP)));
	sim_physics_step(&p, 60);
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_IMMINENT_STOP));
	sim_physics_step(&p, 60);           /* empty: the load is lost */
	CHECK(p.charge == 0 && p.load_off);
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_BATTERY_DISCHARGED));
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_LOAD_OFF));
	CHECK(m[MEAS_OUTPUT_V_L1] == 0);

	/* AC restore: back on inverter, charging */
	p.mains_ok = true;
	p.load_off = false;
	sim_physics_step(&p, 72);
	CHECK(NEAR(p.charge, 1, 1e-6));
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_BATTERY_CHARGING));
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_LOAD_ON_INVERTER));
	CHECK(m[MEAS_BATTERY_TIME_ON] == 0);

	/* eco mode: on bypass with the eco flag */
	p.eco = true;
	sim_physics_refresh(&p);
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_ECO_MODE));
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_ON_AUTO_BYPASS));
	CHECK(!(p.levels[0].flags & SIM_BIT(FLAG_LOAD_ON_INVERTER)));

	/* single-phase modules: phases 2 and 3 not available */
	CHECK(sim_physics_init(&p, MAP_JBUSP, TOPO_MODULAR_UNIT, 0, 3, 1, false) == 0);
	CHECK(p.n_levels == 4 && p.levels[3].kind == LEVEL_MODULE && p.levels[3].module == 3);
	CHECK(isnan(p.levels[0].meas[MEAS_OUTPUT_V_L2]) && p.levels[0].meas[MEAS_OUTPUT_V_L1] == 230);

	/* modular system: units then their modules */
	CHECK(sim_physics_init(&p, MAP_VUMAP, TOPO_MODULAR_SYSTEM, 2, 3, 1, false) == 0);
	CHECK(p.n_levels == 1 + 2 + 6);
	CHECK(p.levels[5].kind == LEVEL_UNIT && p.levels[5].unit == 2);
	CHECK(p.levels[8].kind == LEVEL_MODULE && p.levels[8].unit == 2 && p.levels[8].module == 3);
	CHECK(NEAR(p.levels[0].meas[MEAS_OUTPUT_S], 6 * p.levels[8].meas[MEAS_OUTPUT_S], 1e-9));

	/* STS: source 1 lost -> load on source 2, the alternate */
	CHECK(sim_physics_init(&p, MAP_STS, TOPO_STS, 0, 0, 1, false) == 0);
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_STS_ON_PREFERRED));
	p.mains_ok = false;
	sim_physics_refresh(&p);
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_STS_ON_ALTERNATE));
	CHECK(p.levels[0].flags & SIM_BIT(FLAG_STS_ON_S2));
	CHECK(p.levels[0].meas[MEAS_STS_S1_V_L1] == 0 && p.levels[0].meas[MEAS_OUTPUT_V_L1] == 230);
}

static void test_noise(void)
{
	struct sim_physics a, b, c;
	bool differ = false, within = true;

	sim_physics_init(&a, MAP_VUMAP, TOPO_SINGLE, 0, 0, 42, true);
	sim_physics_init(&b, MAP_VUMAP, TOPO_SINGLE, 0, 0, 42, true);
	sim_physics_init(&c, MAP_VUMAP, TOPO_SINGLE, 0, 0, 43, true);
	for (int i = 0; i < 50; i++) {
		sim_physics_step(&a, 1);
		sim_physics_step(&b, 1);
		sim_physics_step(&c, 1);
		double v = a.levels[0].meas[MEAS_INPUT_V_L1];
		if (v < 230 * 0.995 || v > 230 * 1.005)
			within = false;
		if (a.levels[0].meas[MEAS_INPUT_V_L1] != c.levels[0].meas[MEAS_INPUT_V_L1])
			differ = true;
	}
	CHECK(within);
	CHECK(memcmp(a.levels[0].meas, b.levels[0].meas, sizeof(a.levels[0].meas)) == 0);
	CHECK(differ);
}

static void test_image(void)
{
	struct sim *s = sim_new(MAP_JBUSP, "single", 1, false);
	uint16_t r[RTU_MAX_READ];
	uint8_t ex = 0;

	CHECK(sim_image_check(&map_jbusp) == 0);
	CHECK(sim_image_check(&map_vumap) == 0);
	CHECK(sim_image_check(&map_sts) == 0);

	/* identity: type 257, 20 kVA, serial char 1 in the LSB */
	CHECK(read_regs(s, 0x1000, 12, r, &ex) == 12);
	CHECK(r[0] == 257 && r[1] == 200 && (r[3] & 0xFF) == 'U' && (r[3] >> 8) == 'G');
	/* the whole 0x1000-0x10FF span is readable, undefined words 0 */
	CHECK(read_regs(s, 0x10F0, 16, r, &ex) == 16 && r[15] == 0);
	CHECK(read_regs(s, 0x1020, 4, r, &ex) == 4);
	CHECK(!(r[0] & (1 << 5)) && (r[0] & (1 << 3)));      /* not S05, S03 */
	CHECK(read_regs(s, 0x1060, 48, r, &ex) == 48);
	CHECK(r[9] == 230 && r[19] == 500 && r[3] == 40);    /* M09 V, M19 Hz*10, M03 % */
	CHECK(r[25] == 0);                                   /* blank row M25 */

	ctl(s, "ac-fail");
	CHECK(read_regs(s, 0x1020, 1, r, &ex) == 1 && (r[0] & (1 << 5)));   /* S05 */
	CHECK(read_regs(s, 0x1081, 1, r, &ex) == 1 && r[0] == 0);          /* M33 */
	/* a signed battery current */
	CHECK(read_regs(s, 0x1078, 1, r, &ex) == 1 && (int16_t)r[0] < 0);
	free(s);

	/* VU-MAP: T014 = 1 scales currents by 10; A019 on battery */
	s = sim_new(MAP_VUMAP, "single", 1, false);
	CHECK(read_regs(s, 0x0001, 15, r, &ex) == 15);
	CHECK(r[0] == 0x0101 && r[13] == 1 && r[14] == 0x8300 && r[4] == 400);
	CHECK(read_regs(s, 0x0010, 1, r, &ex) == 1 && r[0] == ('U' << 8 | 'G'));
	const struct meas_reg *cur = NULL;
	for (size_t i = 0; i < map_vumap.n_meas; i++)
		if (map_vumap.meas[i].id == MEAS_OUTPUT_I_L1)
			cur = &map_vumap.meas[i];
	CHECK(cur && read_regs(s, cur->address, 1, r, &ex) == 1 &&
	      r[0] == (uint16_t)lround(s->phys.levels[0].meas[MEAS_OUTPUT_I_L1] * cur->div[1]));
	CHECK(cur && cur->div[1] == 10 * cur->div[0]);
	ctl(s, "ac-fail");
	CHECK(read_regs(s, 0x0039, 1, r, &ex) == 1 && (r[0] & (1 << 3)));
	/* unmanaged measurement: DC storage voltage M028 */
	CHECK(read_regs(s, 0x005C, 1, r, &ex) == 1 && r[0] == 0xFFFF);
	free(s);

	/* encode/decode */
	struct meas_reg mr = { "X", 0, MEAS_OUTPUT_FREQ, { 10, 100 }, 0 };
	CHECK(sim_image_encode(&mr, 0, 50.04) == 500 && sim_image_encode(&mr, 1, 50.04) == 5004);
	CHECK(sim_image_encode(&mr, 0, NAN) == 0xFFFF && isnan(sim_image_decode(&mr, 0, 0xFFFF)));
	CHECK(sim_image_encode(&mr, 0, -3) == 0);
	mr.is_signed = 1;
	CHECK(sim_image_encode(&mr, 0, -3) == (uint16_t)-30 && sim_image_decode(&mr, 0, (uint16_t)-30) == -3);
	CHECK(sim_image_encode(&mr, 0, -0.1) != 0xFFFF);
}

static void test_slave(void)
{
	struct sim *s = sim_new(MAP_JBUSP, "parallel:3", 1, false);
	uint8_t req[RTU_MAX_FRAME], reply[RTU_MAX_FRAME];
	uint16_t r[RTU_MAX_READ], v;
	uint8_t ex = 0;
	int n;

	/* units at unit * 0x1000: unit 3 is 0x4000-0x40FF */
	CHECK(read_regs(s, 0x4000, 1, r, &ex) == 1 && r[0] == 257);
	CHECK(read_regs(s, 0x1000, 1, r, &ex) == 1 && r[0] == 256);
	CHECK(read_regs(s, 0x5000, 1, r, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_ADDRESS);
	CHECK(read_regs(s, 0x0FFF, 2, r, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_ADDRESS);
	CHECK(read_regs(s, 0x10F0, 17, r, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_ADDRESS);
	/* S30 and S32-S34 on the system */
	CHECK(read_regs(s, 0x1021, 2, r, &ex) == 2 && (r[0] & (1 << 14)) && (r[1] & 0x3F) == 0x07);
	/* the clock: year - 2000, month 1..12 */
	CHECK(read_regs(s, 0x1360, 4, r, &ex) == 4 && r[3] >= 24 && r[3] < 100 &&
	      (r[2] >> 8) >= 1 && (r[2] >> 8) <= 12);
	CHECK(read_regs(s, 0x15C0, 2, r, &ex) == 2 && r[0] == 0x0C18);

	/* count 0 -> 03, unknown function -> 01, another slave -> silence */
	const uint8_t zero[6] = { 1, 3, 0x10, 0x00, 0x00, 0x00 };
	memcpy(req, zero, 6);
	uint16_t crc = rtu_crc16(req, 6);
	req[6] = crc & 0xFF;
	req[7] = crc >> 8;
	CHECK(transact(s, req, 8, reply) == 5 && reply[1] == 0x83 && reply[2] == 3);
	const uint8_t fc[2] = { 1, 0x2B };
	memcpy(req, fc, 2);
	crc = rtu_crc16(req, 2);
	req[2] = crc & 0xFF;
	req[3] = crc >> 8;
	CHECK(transact(s, req, 4, reply) == 5 && reply[1] == 0xAB && reply[2] == 1);
	n = rtu_build_read_request(req, sizeof(req), 9, 3, 0x1000, 1);
	CHECK(transact(s, req, n, reply) == 0 && s->stats.other_slave == 1);
	req[n - 1] ^= 1;
	CHECK(transact(s, req, n, reply) == 0 && s->stats.bad_frames == 1);

	/* controls: value-coded 0x15B0; anything else is refused */
	v = 0x0003;
	CHECK(write_regs(s, 0x15B0, &v, 1, &ex) == 0 && s->phys.eco);
	CHECK(read_regs(s, 0x1020, 1, r, &ex) == 1 && (r[0] & (1 << 7)) && (r[0] & (1 << 4)));
	v = 0x0004;
	CHECK(write_regs(s, 0x15B0, &v, 1, &ex) == 0 && !s->phys.eco);
	v = 0x000A;
	CHECK(write_regs(s, 0x15B0, &v, 1, &ex) == 0 && s->phys.on_bypass);
	v = 0x000B;
	CHECK(write_regs(s, 0x15B0, &v, 1, &ex) == 0 && !s->phys.on_bypass);
	v = 0x0099;
	CHECK(write_regs(s, 0x15B0, &v, 1, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_VALUE);
	CHECK(write_regs(s, 0x1020, &v, 1, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_ADDRESS);
	CHECK(write_regs(s, 0x15C0, &v, 1, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_ADDRESS);
	CHECK(s->stats.writes == 4);
	free(s);

	/* VU-MAP commands at 0x00C9-0x00CA (manual §5.1) */
	s = sim_new(MAP_VUMAP, "single", 1, false);
	uint16_t w[4] = { 0, 0x0001 };
	CHECK(read_regs(s, 0x00C7, 2, r, &ex) == 2 && (r[0] & 1) && r[1] == 0x9003);
	CHECK(write_regs(s, 0x00C9, w, 2, &ex) == 0 && s->phys.eco);       /* C016 */
	v = 0x0002;
	CHECK(write_regs(s, 0x00CA, &v, 1, &ex) == 0 && !s->phys.eco);     /* C017 */
	v = 0x0003;
	CHECK(write_regs(s, 0x00CA, &v, 1, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_VALUE);
	CHECK(!s->phys.eco);
	v = 0x1000;
	CHECK(write_regs(s, 0x00CA, &v, 1, &ex) == 0 && s->phys.battery_test_left > 0);  /* C028 */
	CHECK(write_regs(s, 0x00C7, &v, 1, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_ADDRESS);
	/* C031 reset alarm drops alarms forced by ctl */
	CHECK(ctl(s, "alarm A002 on") == 0);
	CHECK(read_regs(s, 0x0038, 1, r, &ex) == 1 && (r[0] & (1 << 2)));
	v = 0x8000;
	CHECK(write_regs(s, 0x00CA, &v, 1, &ex) == 0);
	CHECK(read_regs(s, 0x0038, 1, r, &ex) == 1 && !(r[0] & (1 << 2)));
	/* the clock is writable, all four words at once */
	uint16_t clk[4] = { (30 << 8) | 15, (14 << 8) | 9, (7 << 8) | 1, 30 };
	CHECK(write_regs(s, 0x00CB, clk, 4, &ex) == 0);
	CHECK(read_regs(s, 0x00CB, 4, r, &ex) == 4 && r[3] == 30 && (r[2] >> 8) == 7 && (r[1] >> 8) == 14);
	clk[0] = (61 << 8);
	CHECK(write_regs(s, 0x00CB, clk, 4, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_VALUE);
	free(s);

	/* STS: C05 makes S2 preferred; C01 switches to the alternate */
	s = sim_new(MAP_STS, "sts", 1, false);
	v = 1 << 5;
	CHECK(write_regs(s, 0x0190, &v, 1, &ex) == 0 && s->phys.sts_preferred == 2);
	CHECK(read_regs(s, 0x0141, 1, r, &ex) == 1 && (r[0] & (1 << 8)) && !(r[0] & 1));
	v = 1 << 1;
	CHECK(write_regs(s, 0x0190, &v, 1, &ex) == 0 && s->phys.sts_on_alternate);
	CHECK(read_regs(s, 0x0141, 1, r, &ex) == 1 && (r[0] & (1 << 7)) && (r[0] & (1 << 2)));
	CHECK(read_regs(s, 0x0150, 1, r, &ex) == 1 && r[0] == 0x0033);
	CHECK(read_regs(s, 0x0220, 64, r, &ex) == 64 && r[0] == 230);
	CHECK(read_regs(s, 0x0160, 1, r, &ex) == -EREMOTEIO && ex == RTU_EX_ILLEGAL_ADDRESS);
	free(s);
}

/* Which replies the injector spoils, for a seed. */
static void inject_pattern(unsigned seed, char *out, size_t n)
{
	struct sim *s = sim_new(MAP_JBUSP, "single", seed, false);
	uint8_t req[16], reply[RTU_MAX_FRAME];
	int len = rtu_build_read_request(req, sizeof(req), 1, 3, 0x1000, 12);

	ctl(s, "inject crc 30");
	ctl(s, "inject timeout 20");
	ctl(s, "inject garbage 10");
	for (size_t i = 0; i < n - 1; i++) {
		size_t m = transact(s, req, len, reply);
		out[i] = !m ? 'T' : !rtu_crc_ok(reply, m) ? 'X' : '.';
	}
	out[n - 1] = '\0';
	uint64_t spoiled = s->stats.injected[INJECT_CRC] + s->stats.injected[INJECT_TIMEOUT] +
			   s->stats.injected[INJECT_GARBAGE];
	CHECK(spoiled > (n - 1) / 4 && spoiled < (n - 1) * 3 / 4);
	size_t timeouts = 0;
	for (size_t i = 0; out[i]; i++)
		timeouts += out[i] == 'T';
	CHECK(s->stats.injected[INJECT_TIMEOUT] == timeouts);
	free(s);
}

static void test_inject(void)
{
	char a[201], b[201], c[201];

	inject_pattern(5, a, sizeof(a));
	inject_pattern(5, b, sizeof(b));
	inject_pattern(6, c, sizeof(c));
	CHECK(strcmp(a, b) == 0);
	CHECK(strcmp(a, c) != 0);
	CHECK(strchr(a, 'T') && strchr(a, 'X') && strchr(a, '.'));
}

static void test_ctl(void)
{
	struct sim *s = sim_new(MAP_VUMAP, "parallel:3", 1, false);
	char line[SIM_CTL_LINE], reply[SIM_CTL_REPLY];
	uint16_t r[4];
	uint8_t ex;

	CHECK(ctl(s, "load 75") == 0 && s->phys.load == 75);
	CHECK(ctl(s, "load 151") == -EINVAL && s->phys.load == 75);
	CHECK(ctl(s, "load 50x") == -EINVAL && s->phys.load == 75);
	CHECK(ctl(s, "load") == -EINVAL);
	CHECK(ctl(s, "load 1 2") == -EINVAL);
	CHECK(ctl(s, "battery 30") == 0 && s->phys.charge == 30);
	CHECK(ctl(s, "bogus") == -EINVAL);
	CHECK(ctl(s, "") == -EINVAL);
	CHECK(ctl(s, "alarm A999 on") == -EINVAL);
	CHECK(ctl(s, "alarm S000 on") == -EINVAL);        /* a status bit */
	CHECK(ctl(s, "alarm A002 maybe") == -EINVAL);
	CHECK(ctl(s, "inject crc 101") == -EINVAL && s->inject_pct[INJECT_CRC] == 0);
	CHECK(ctl(s, "inject bits 5") == -EINVAL);
	CHECK(ctl(s, "unit 4 alarm A002 on") == -EINVAL);   /* no unit 4 */
	CHECK(ctl(s, "unit 2 load 5") == -EINVAL && s->phys.load == 75);

	/* unit 2 lives at 0x2000 + map address */
	CHECK(ctl(s, "unit 2 alarm A002 on") == 0);
	CHECK(read_regs(s, 0x2038, 1, r, &ex) == 1 && (r[0] & (1 << 2)));
	CHECK(read_regs(s, 0x0038, 1, r, &ex) == 1 && !(r[0] & (1 << 2)));
	/* off masks a bit the physics sets; auto gives it back */
	CHECK(read_regs(s, 0x0030, 1, r, &ex) == 1 && (r[0] & 1));
	CHECK(ctl(s, "status S000 off") == 0);
	CHECK(read_regs(s, 0x0030, 1, r, &ex) == 1 && !(r[0] & 1));
	CHECK(ctl(s, "status s000 auto") == 0);
	CHECK(read_regs(s, 0x0030, 1, r, &ex) == 1 && (r[0] & 1));
	/* the system shows units 1-3 operating and available */
	CHECK(read_regs(s, 0x0036, 2, r, &ex) == 2 && r[0] == 0x0007 && r[1] == 0x0007);

	snprintf(line, sizeof(line), "values");
	CHECK(sim_ctl_locked(s, line, reply, sizeof(reply)) == 0);
	CHECK(strstr(reply, "\"output.load\":75") && strstr(reply, "\"input.voltage.l1\":230"));
	CHECK(!strstr(reply, "dc_storage.voltage"));
	snprintf(line, sizeof(line), "stats");
	CHECK(sim_ctl_locked(s, line, reply, sizeof(reply)) == 0 && reply[0] == '{' &&
	      strstr(reply, "\"reads\":"));
	snprintf(line, sizeof(line), "stats");
	CHECK(sim_ctl_locked(s, line, reply, 20) == -EINVAL && strncmp(reply, "error", 5) == 0);
	free(s);
}

/* Every topology through the real decoder: the identity and topology it
 * finds are the simulated ones, and the measurements read back. */
static void roundtrip(enum ups_map map, const char *spec, enum topology want, unsigned units,
		      unsigned modules)
{
	struct sim *s = sim_new(map, spec, 1, false);
	struct addressing a = { (uint16_t)s->opt.unit_stride, (uint16_t)s->opt.module_stride };
	static struct raw_block blocks[16];
	struct identity id;
	struct topology_info topo;
	static struct level_data levels[MODEL_MAX_LEVELS];
	struct regview v = { blocks, 0, 0 };
	uint8_t ex;

	for (size_t i = 0; i < s->map->n_blocks && i < 16; i++) {
		const struct block_def *b = &s->map->blocks[i];
		blocks[i].address = b->address;
		blocks[i].count = b->words;
		if (read_regs(s, b->address, b->words, blocks[i].regs, &ex) != b->words)
			printf("# read of %s failed\n", b->name);
		v.n_blocks = i + 1;
	}
	CHECK(decode_identity(s->map, &v, &id, &topo) == 0);
	decode_level(s->map, &id, &v, &levels[0]);
	decode_topology_status(s->map, &levels[0], &topo);
	printf("# %s %s: kind %d units %u modules %u\n", s->map->name, spec, topo.kind,
	       topo.n_units, topo.n_modules);
	CHECK(topo.kind == want);
	CHECK(topo.n_units == units);
	if (want == TOPO_MODULAR_UNIT)
		CHECK(topo.n_modules == modules);
	CHECK(id.serial[0] == 'U' && id.serial[1] == 'G');
	CHECK(NEAR(levels[0].meas[MEAS_OUTPUT_V_L1], 230, 1e-9));
	CHECK(NEAR(levels[0].meas[MEAS_OUTPUT_LOAD], 40, 1e-9));
	if (map != MAP_STS) {
		CHECK(model_flag(&levels[0], FLAG_LOAD_ON_INVERTER));
		CHECK(!model_flag(&levels[0], FLAG_ON_BATTERY));
	}

	/* every level the decoder expects answers at its offset */
	size_t n = topology_levels(&topo, levels, MODEL_MAX_LEVELS);
	CHECK(n == s->phys.n_levels || want == TOPO_MODULAR_SYSTEM);
	bool all = true;
	for (size_t i = 0; i < n; i++) {
		uint32_t off = level_offset(&a, levels[i].unit, levels[i].module);
		const struct block_def *st = map_block(s->map, ROLE_STATUS);
		if (!levels[i].present)
			continue;
		if (read_regs(s, (uint16_t)(st->address + off), st->words, blocks[0].regs, &ex) != st->words)
			all = false;
	}
	CHECK(all);
	free(s);
}

static void test_roundtrip(void)
{
	roundtrip(MAP_JBUSP, "single", TOPO_SINGLE, 0, 0);
	roundtrip(MAP_JBUSP, "modular:4", TOPO_MODULAR_UNIT, 0, 4);
	roundtrip(MAP_JBUSP, "parallel:3", TOPO_PARALLEL, 3, 0);
	roundtrip(MAP_VUMAP, "single", TOPO_SINGLE, 0, 0);
	roundtrip(MAP_VUMAP, "modular:5", TOPO_MODULAR_UNIT, 0, 5);
	roundtrip(MAP_VUMAP, "parallel:10", TOPO_PARALLEL, 10, 0);
	roundtrip(MAP_VUMAP, "modular-parallel:2x3", TOPO_MODULAR_SYSTEM, 2, 0);
	roundtrip(MAP_STS, "sts", TOPO_STS, 0, 0);
}

int main(void)
{
	test_topology_check();
	test_physics();
	test_noise();
	test_image();
	test_slave();
	test_inject();
	test_ctl();
	test_roundtrip();
	if (failures) {
		fprintf(stderr, "test-sim-physics: %d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}
