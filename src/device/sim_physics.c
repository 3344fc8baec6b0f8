/* Simulator physics (see sim_physics.h): nominal 230 V / 50 Hz with a
 * little seeded noise, output power from the load and the nominal kVA,
 * a battery that charges on mains and discharges on battery at a rate
 * set by the load. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "device/sim_physics.h"

#define V_NOM 230.0
#define V_LL_NOM 400.0
#define F_NOM 50.0
#define NOISE 0.005                 /* +-0.5 % */
#define POWER_FACTOR 0.9
#define CREST_FACTOR 1.4
#define EFFICIENCY 0.95
#define RECHARGE_S 7200.0           /* empty to full on mains */
#define BATTERY_AH 100.0
#define BATTERY_V_FLOAT 272.0       /* per string, full and floating */
#define BATTERY_V_EMPTY 220.0

struct sim_range {
	double level_kva;           /* kVA of one unit (single, parallel) or one module */
	uint8_t phases;
};

static struct sim_range range_of(enum ups_map map, enum topology topo)
{
	if (map == MAP_STS)
		return (struct sim_range){ 43.5, 3 };       /* STATYS 63 A */
	if (map == MAP_JBUSP) {
		if (topo == TOPO_MODULAR_UNIT)
			return (struct sim_range){ 5.0, 1 };  /* MODULYS 1/1 modules */
		return (struct sim_range){ 20.0, 3 };      /* MASTERYS 3/3 */
	}
	if (topo == TOPO_MODULAR_UNIT || topo == TOPO_MODULAR_SYSTEM)
		return (struct sim_range){ 25.0, 3 };      /* MODULYS GP 2.0 modules */
	return (struct sim_range){ 40.0, 3 };              /* MASTERYS GP4 */
}

int sim_topology_check(enum ups_map map, enum topology topo, unsigned units,
		       unsigned modules, char *why, size_t len)
{
	const char *err = NULL;

	if (map != MAP_JBUSP && map != MAP_VUMAP && map != MAP_STS)
		err = "unknown map";
	else if ((map == MAP_STS) != (topo == TOPO_STS))
		err = map == MAP_STS ? "the STS map has only the sts topology"
				     : "the sts topology needs --map sts";
	else if (topo == TOPO_MODULAR_UNIT && (modules < 1 || modules > 8))
		err = "modular:M needs 1 <= M <= 8 modules";
	else if (topo == TOPO_PARALLEL && map == MAP_JBUSP && (units < 2 || units > 6))
		err = "parallel:N on JBUSP needs 2 <= N <= 6 units";
	else if (topo == TOPO_PARALLEL && map == MAP_VUMAP && (units < 2 || units > 10))
		err = "parallel:N on VU-MAP needs 2 <= N <= 10 units";
	else if (topo == TOPO_MODULAR_SYSTEM && map != MAP_VUMAP)
		err = "modular-parallel:NxM exists only on VU-MAP";
	else if (topo == TOPO_MODULAR_SYSTEM && (units < 2 || units > 4))
		err = "modular-parallel:NxM needs 2 <= N <= 4 units";
	else if (topo == TOPO_MODULAR_SYSTEM && (modules < 1 || modules > 6))
		err = "modular-parallel:NxM needs 1 <= M <= 6 modules per unit (24 in all)";
	else if (topo != TOPO_SINGLE && topo != TOPO_MODULAR_UNIT && topo != TOPO_PARALLEL &&
		 topo != TOPO_MODULAR_SYSTEM && topo != TOPO_STS)
		err = "unknown topology";
	if (!err)
		return 0;
	if (why && len)
		snprintf(why, len, "%s", err);
	return -EINVAL;
}

uint64_t sim_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* 1 +- NOISE, or exactly 1 when noise is off. */
static double jitter(struct sim_physics *p)
{
	if (!p->noise)
		return 1.0;
	double u = (double)(sim_rand(&p->rng) >> 11) / (double)(1ULL << 53);
	return 1.0 + NOISE * (2.0 * u - 1.0);
}

double sim_runtime_minutes(double charge, double load)
{
	double l = load < 5.0 ? 5.0 : load;

	if (charge <= 0)
		return 0;
	return charge / 100.0 * SIM_RUNTIME_FULL_LOAD_MIN * pow(100.0 / l, 1.1);
}

static void add_level(struct sim_physics *p, enum level_kind kind, unsigned unit,
		      unsigned module, double kva, uint8_t phases)
{
	struct sim_level *l = &p->levels[p->n_levels++];

	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->unit = (uint8_t)unit;
	l->module = (uint8_t)module;
	l->nominal_kva = kva;
	l->phases = phases;
}

int sim_physics_init(struct sim_physics *p, enum ups_map map, enum topology topo,
		     unsigned units, unsigned modules, unsigned seed, bool noise)
{
	int r = sim_topology_check(map, topo, units, modules, NULL, 0);
	if (r < 0)
		return r;

	memset(p, 0, sizeof(*p));
	p->map = map;
	p->topo = topo;
	p->units = topo == TOPO_PARALLEL || topo == TOPO_MODULAR_SYSTEM ? units : 0;
	p->modules = topo == TOPO_MODULAR_UNIT || topo == TOPO_MODULAR_SYSTEM ? modules : 0;
	p->noise = noise;
	p->rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed << 1 | 1);
	p->load = 40.0;
	p->charge = 100.0;
	p->mains_ok = true;
	p->sts_preferred = 1;

	struct sim_range rg = range_of(map, topo);
	switch (topo) {
	case TOPO_MODULAR_UNIT:
		add_level(p, LEVEL_SYSTEM, 0, 0, rg.level_kva * p->modules, rg.phases);
		for (unsigned m = 1; m <= p->modules; m++)
			add_level(p, LEVEL_MODULE, 0, m, rg.level_kva, rg.phases);
		break;
	case TOPO_PARALLEL:
		add_level(p, LEVEL_SYSTEM, 0, 0, rg.level_kva * p->units, rg.phases);
		for (unsigned u = 1; u <= p->units; u++)
			add_level(p, LEVEL_UNIT, u, 0, rg.level_kva, rg.phases);
		break;
	case TOPO_MODULAR_SYSTEM:
		add_level(p, LEVEL_SYSTEM, 0, 0, rg.level_kva * p->units * p->modules, rg.phases);
		for (unsigned u = 1; u <= p->units; u++) {
			add_level(p, LEVEL_UNIT, u, 0, rg.level_kva * p->modules, rg.phases);
			for (unsigned m = 1; m <= p->modules; m++)
				add_level(p, LEVEL_MODULE, u, m, rg.level_kva, rg.phases);
		}
		break;
	default:
		add_level(p, LEVEL_SYSTEM, 0, 0, rg.level_kva, rg.phases);
		break;
	}
	sim_physics_refresh(p);
	return 0;
}

static bool on_battery(const struct sim_physics *p)
{
	return !p->load_off && (!p->mains_ok || p->battery_test_left > 0);
}

void sim_physics_step(struct sim_physics *p, double dt)
{
	if (dt < 0)
		dt = 0;
	if (p->map != MAP_STS) {
		if (on_battery(p)) {
			double full = sim_runtime_minutes(100.0, p->load) * 60.0;
			p->charge -= dt * 100.0 / full;
			if (!p->mains_ok)
				p->time_on_battery += dt;
		} else if (p->mains_ok) {
			p->charge += dt * 100.0 / RECHARGE_S;
			p->time_on_battery = 0;
		}
		if (p->charge > 100.0)
			p->charge = 100.0;
		if (p->charge <= 0) {
			p->charge = 0;
			if (!p->mains_ok)
				p->load_off = true;     /* the inverter stops: load lost */
		}
		if (p->battery_test_left > 0)
			p->battery_test_left = p->battery_test_left > dt ? p->battery_test_left - dt : 0;
	}
	sim_physics_refresh(p);
}

static void set_phases(struct sim_physics *p, double *m, int l1, uint8_t phases, double v)
{
	for (int i = 0; i < 3; i++)
		m[l1 + i] = i < phases ? v * jitter(p) : NAN;
}

static uint64_t ups_flags(const struct sim_physics *p, double runtime)
{
	uint64_t f = 0;
	bool batt = on_battery(p);
	bool bypass = p->mains_ok && !batt && !p->load_off && (p->on_bypass || p->eco);

	if (p->load_off)
		f |= SIM_BIT(FLAG_LOAD_OFF);
	else if (bypass)
		f |= SIM_BIT(FLAG_ON_AUTO_BYPASS) | SIM_BIT(FLAG_INVERTER_ON) | SIM_BIT(FLAG_OPERATING) |
		     (p->eco && !p->on_bypass ? SIM_BIT(FLAG_ECO_MODE) : 0);
	else
		f |= SIM_BIT(FLAG_LOAD_ON_INVERTER) | SIM_BIT(FLAG_INVERTER_ON) | SIM_BIT(FLAG_OPERATING);
	if (batt)
		f |= SIM_BIT(FLAG_ON_BATTERY);
	if (p->battery_test_left > 0)
		f |= SIM_BIT(FLAG_BATTERY_TEST);
	if (p->mains_ok)
		f |= SIM_BIT(FLAG_RECTIFIER_INPUT_OK) | SIM_BIT(FLAG_RECTIFIER_ON) |
		     SIM_BIT(FLAG_BYPASS_INPUT_OK);
	else
		f |= SIM_BIT(SIM_COND_RECT_INPUT_FAIL) | SIM_BIT(SIM_COND_BYPASS_INPUT_FAIL);

	if (p->charge <= 0 || p->load_off) {
		f |= SIM_BIT(FLAG_BATTERY_DISCHARGED);
	} else if (batt && runtime < SIM_BATTERY_LOW_MIN) {
		f |= SIM_BIT(FLAG_BATTERY_LOW);
	} else {
		f |= SIM_BIT(FLAG_BATTERY_OK);
	}
	if (batt && runtime < SIM_IMMINENT_STOP_MIN)
		f |= SIM_BIT(FLAG_IMMINENT_STOP);
	if (p->mains_ok && !batt) {
		if (p->charge >= 99.95)
			f |= SIM_BIT(FLAG_BATTERY_CHARGED);
		else
			f |= SIM_BIT(FLAG_BATTERY_CHARGING);
	}
	if (p->load > 100.0 && !p->load_off)
		f |= SIM_BIT(FLAG_OVERLOAD);
	if (!p->mains_ok || p->load_off || p->load > 100.0 || p->charge <= 0)
		f |= SIM_BIT(FLAG_GENERAL_ALARM);
	if (p->topo == TOPO_PARALLEL || p->topo == TOPO_MODULAR_SYSTEM)
		f |= SIM_BIT(FLAG_PARALLEL);
	return f;
}

static void ups_level(struct sim_physics *p, struct sim_level *l, uint64_t flags, double runtime)
{
	double *m = l->meas;
	bool out = !p->load_off;
	bool batt = on_battery(p);
	bool bypass = (flags & SIM_BIT(FLAG_ON_AUTO_BYPASS)) != 0;
	double load = out ? p->load : 0;
	double s = load / 100.0 * l->nominal_kva;            /* kVA */
	double s_ph = s / l->phases;
	double i_ph = s_ph * 1000.0 / V_NOM;
	double p_ph = s_ph * POWER_FACTOR;
	double charging = p->mains_ok && p->charge < 100.0 && !batt ? 2.0 * l->nominal_kva / 20.0 : 0;
	double v_batt = batt ? BATTERY_V_EMPTY + (BATTERY_V_FLOAT - BATTERY_V_EMPTY) * p->charge / 100.0
			     : BATTERY_V_FLOAT;
	double i_batt = batt ? -(s * POWER_FACTOR * 1000.0 / EFFICIENCY) / (2.0 * v_batt) : charging;
	double v_in = p->mains_ok ? V_NOM : 0, v_ll = p->mains_ok ? V_LL_NOM : 0;
	double p_in_ph = p->mains_ok && !batt && !bypass ? p_ph / EFFICIENCY + charging * v_batt * 2 / 1000.0 / l->phases : 0;

	set_phases(p, m, MEAS_INPUT_V_L1, l->phases, v_in);
	set_phases(p, m, MEAS_INPUT_V_U12, l->phases == 3 ? 3 : 0, v_ll);
	m[MEAS_INPUT_FREQ] = p->mains_ok ? F_NOM * jitter(p) : 0;
	set_phases(p, m, MEAS_INPUT_I_L1, l->phases, p_in_ph * 1000.0 / V_NOM);
	set_phases(p, m, MEAS_INPUT_P_L1, l->phases, p_in_ph);

	set_phases(p, m, MEAS_BYPASS_V_L1, l->phases, v_in);
	set_phases(p, m, MEAS_BYPASS_V_U12, l->phases == 3 ? 3 : 0, v_ll);
	m[MEAS_BYPASS_FREQ] = p->mains_ok ? F_NOM * jitter(p) : 0;
	set_phases(p, m, MEAS_BYPASS_I_L1, l->phases, bypass ? i_ph : 0);
	set_phases(p, m, MEAS_BYPASS_P_L1, l->phases, bypass ? p_ph : 0);

	set_phases(p, m, MEAS_OUTPUT_V_L1, l->phases, out ? V_NOM : 0);
	set_phases(p, m, MEAS_OUTPUT_V_U12, l->phases == 3 ? 3 : 0, out ? V_LL_NOM : 0);
	m[MEAS_OUTPUT_FREQ] = out ? F_NOM * jitter(p) : 0;
	set_phases(p, m, MEAS_OUTPUT_I_L1, l->phases, i_ph);
	m[MEAS_OUTPUT_I_N] = l->phases == 3 ? 0 : NAN;
	m[MEAS_OUTPUT_LOAD] = load;
	set_phases(p, m, MEAS_OUTPUT_LOAD_L1, l->phases, load);
	m[MEAS_OUTPUT_LOAD_N] = NAN;
	m[MEAS_OUTPUT_S] = s;
	set_phases(p, m, MEAS_OUTPUT_S_L1, l->phases, s_ph);
	m[MEAS_OUTPUT_P] = s * POWER_FACTOR;
	set_phases(p, m, MEAS_OUTPUT_P_L1, l->phases, p_ph);
	set_phases(p, m, MEAS_OUTPUT_PF_L1, l->phases, out ? POWER_FACTOR : 0);
	m[MEAS_OUTPUT_CF] = out ? CREST_FACTOR : 0;
	set_phases(p, m, MEAS_OUTPUT_CF_L1, l->phases, out ? CREST_FACTOR : 0);
	m[MEAS_OUTPUT_CF_N] = l->phases == 3 && out ? CREST_FACTOR : NAN;

	m[MEAS_BATTERY_V_POS] = v_batt;
	m[MEAS_BATTERY_V_NEG] = v_batt;
	m[MEAS_BATTERY_I_POS] = i_batt;
	m[MEAS_BATTERY_I_NEG] = i_batt;
	m[MEAS_BATTERY_CHARGE] = p->charge;
	m[MEAS_BATTERY_AH] = BATTERY_AH * l->nominal_kva / 20.0 * p->charge / 100.0;
	m[MEAS_BATTERY_RUNTIME] = runtime;
	m[MEAS_BATTERY_TIME_ON] = p->time_on_battery;
	m[MEAS_BATTERY_TEMP] = 25.0;
	m[MEAS_BATTERY_TEMP_AVG] = 25.0;
	m[MEAS_AMBIENT_TEMP] = 24.0;
}

static void sts_level(struct sim_physics *p, struct sim_level *l)
{
	double *m = l->meas;
	bool ok[3] = { false, p->mains_ok, true };
	unsigned pref = p->sts_preferred == 2 ? 2 : 1, alt = 3 - pref;
	unsigned want = p->sts_on_alternate ? alt : pref;
	unsigned active = ok[want] ? want : (ok[3 - want] ? 3 - want : 0);
	uint64_t f = 0;

	f |= ok[1] ? SIM_BIT(FLAG_STS_S1_OK) : SIM_BIT(FLAG_STS_S1_ABSENT);
	f |= ok[2] ? SIM_BIT(FLAG_STS_S2_OK) : SIM_BIT(FLAG_STS_S2_ABSENT);
	if (pref == 1)
		f |= SIM_BIT(FLAG_STS_S1_PREFERRED);
	if (active)
		f |= SIM_BIT(active == pref ? FLAG_STS_ON_PREFERRED : FLAG_STS_ON_ALTERNATE) |
		     SIM_BIT(active == 1 ? FLAG_STS_ON_S1 : FLAG_STS_ON_S2);
	else
		f |= SIM_BIT(FLAG_LOAD_OFF);
	if (ok[1] && ok[2])
		f |= SIM_BIT(FLAG_STS_SYNCHRONISED);
	if (p->load > 100.0 && active)
		f |= SIM_BIT(FLAG_OVERLOAD);
	if (!ok[1] || !ok[2] || !active)
		f |= SIM_BIT(FLAG_GENERAL_ALARM);
	l->flags = f;

	double load = active ? p->load : 0;
	double s_ph = load / 100.0 * l->nominal_kva / 3.0;
	for (unsigned src = 1; src <= 2; src++) {
		int v1 = src == 1 ? MEAS_STS_S1_V_L1 : MEAS_STS_S2_V_L1;
		set_phases(p, m, v1, 3, ok[src] ? V_NOM : 0);
		set_phases(p, m, v1 + 3, 3, ok[src] ? V_LL_NOM : 0);
		m[src == 1 ? MEAS_STS_S1_FREQ : MEAS_STS_S2_FREQ] = ok[src] ? F_NOM * jitter(p) : 0;
	}
	m[MEAS_STS_SS1_TEMP] = active == 1 ? 35.0 : 28.0;
	m[MEAS_STS_SS2_TEMP] = active == 2 ? 35.0 : 28.0;
	m[MEAS_STS_PHASE_SHIFT] = 0;
	set_phases(p, m, MEAS_OUTPUT_V_L1, 3, active ? V_NOM : 0);
	set_phases(p, m, MEAS_OUTPUT_V_U12, 3, active ? V_LL_NOM : 0);
	m[MEAS_OUTPUT_FREQ] = active ? F_NOM * jitter(p) : 0;
	set_phases(p, m, MEAS_OUTPUT_I_L1, 3, s_ph * 1000.0 / V_NOM);
	m[MEAS_OUTPUT_I_N] = 0;
	m[MEAS_OUTPUT_LOAD] = load;
	set_phases(p, m, MEAS_OUTPUT_LOAD_L1, 3, load);
	m[MEAS_OUTPUT_LOAD_N] = 0;
	set_phases(p, m, MEAS_OUTPUT_S_L1, 3, s_ph);
	m[MEAS_OUTPUT_S] = 3 * s_ph;
	set_phases(p, m, MEAS_OUTPUT_P_L1, 3, s_ph * POWER_FACTOR);
	m[MEAS_OUTPUT_P] = 3 * s_ph * POWER_FACTOR;
	set_phases(p, m, MEAS_OUTPUT_PF_L1, 3, active ? POWER_FACTOR : 0);
	set_phases(p, m, MEAS_OUTPUT_CF_L1, 3, active ? CREST_FACTOR : 0);
	m[MEAS_OUTPUT_CF_N] = active ? CREST_FACTOR : 0;
	m[MEAS_AMBIENT_TEMP] = 24.0;
}

void sim_physics_refresh(struct sim_physics *p)
{
	for (size_t i = 0; i < p->n_levels; i++) {
		struct sim_level *l = &p->levels[i];

		for (size_t k = 0; k < _MEAS_COUNT; k++)
			l->meas[k] = NAN;
		if (p->map == MAP_STS) {
			sts_level(p, l);
			continue;
		}
		double runtime = p->load_off ? 0 : sim_runtime_minutes(p->charge, p->load);
		l->flags = ups_flags(p, runtime);
		ups_level(p, l, l->flags, runtime);
	}
}
