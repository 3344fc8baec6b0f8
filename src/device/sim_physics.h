/* Simulator physics: the state of a simulated UPS or STS and the values
 * each level (system, units, modules) shows. Pure computation, no I/O,
 * no locking (struct sim holds the lock). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device/meas.h"
#include "device/model.h"

/* Conditions that have no normalised flag but raise alarm bits (see the
 * per-map tables in sim_image.c); they share the flags word, above the
 * flags. */
enum sim_cond {
	SIM_COND_RECT_INPUT_FAIL = _FLAG_COUNT,  /* rectifier input absent */
	SIM_COND_BYPASS_INPUT_FAIL,              /* bypass input absent */
	_SIM_COND_END,
};

#define SIM_BIT(f) ((uint64_t)1 << (f))

#define SIM_MAX_LEVELS MODEL_MAX_LEVELS
#define SIM_RUNTIME_FULL_LOAD_MIN 10.0       /* backup time at 100 % load */
#define SIM_BATTERY_LOW_MIN 3.0              /* "near end of backup time" */
#define SIM_IMMINENT_STOP_MIN 1.0
#define SIM_BATTERY_TEST_S 10.0

struct sim_level {
	enum level_kind kind;
	uint8_t unit;               /* 1-based; 0 for the system (and modules of a modular unit) */
	uint8_t module;             /* 1-based within its unit; 0 if not a module */
	double nominal_kva;
	uint8_t phases;             /* input and output phases */
	double meas[_MEAS_COUNT];   /* NAN: the range does not manage it */
	uint64_t flags;             /* SIM_BIT(enum ups_flag | enum sim_cond) */
};

struct sim_physics {
	enum ups_map map;
	enum topology topo;
	unsigned units;             /* units in a parallel system, else 0 */
	unsigned modules;           /* modules per unit, else 0 */
	bool noise;
	uint64_t rng;

	/* Scenario: changed by ctl commands and Modbus controls. */
	double load;                /* % of the system's nominal power */
	double charge;              /* battery charge, % */
	double time_on_battery;     /* s since the last transfer to battery */
	bool mains_ok;              /* UPS: rectifier and bypass inputs; STS: source 1 */
	bool eco;                   /* eco mode enabled */
	bool on_bypass;             /* transfer to bypass requested */
	double battery_test_left;   /* s; > 0 while a battery test runs */
	bool load_off;              /* output lost after full discharge */
	uint8_t sts_preferred;      /* 1 or 2 */
	bool sts_on_alternate;      /* switched to the alternate source by command */

	size_t n_levels;
	struct sim_level levels[SIM_MAX_LEVELS];
};

/* 0, or -EINVAL with a reason in why when the map cannot have that
 * topology (JBUSP parallel <= 6, VU-MAP <= 10, modules <= 8, ...). */
int sim_topology_check(enum ups_map map, enum topology topo, unsigned units,
		       unsigned modules, char *why, size_t len);

int sim_physics_init(struct sim_physics *p, enum ups_map map, enum topology topo,
		     unsigned units, unsigned modules, unsigned seed, bool noise);
/* Advances the battery by dt seconds, then recomputes every level. */
void sim_physics_step(struct sim_physics *p, double dt);
/* Recomputes every level from the scenario (after a command). */
void sim_physics_refresh(struct sim_physics *p);

/* Backup time left, in minutes, for a charge (%) and a load (%). */
double sim_runtime_minutes(double charge, double load);
/* Deterministic pseudo-random numbers (xorshift64*). */
uint64_t sim_rand(uint64_t *state);
