/* Simulator core: a Socomec UPS or STS as a Modbus RTU slave, with
 * plausible physics, scenario control and fault injection. Used by
 * upsgate-sim and by `upsgated --simulate`. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "device/model.h"

struct sim_options {
	enum ups_map map;           /* JBUSP, VU-MAP or STS */
	enum topology topo;
	unsigned units;             /* parallel:N, modular-parallel:NxM */
	unsigned modules;           /* modules per unit: modular:M, NxM */
	unsigned baud;              /* the UPS's speed; the link must match */
	bool emulate_wire;          /* delay replies by their wire time */
	const char *link;           /* symlink to the pty; NULL = none */
	const char *serial_device;  /* serve a real port instead of a pty */
	int slave;
	unsigned unit_stride, module_stride;  /* docs/addressing.md */
	unsigned seed;              /* noise and fault injection */
	bool no_noise;              /* exact nominal values (tests) */
};

void sim_options_defaults(struct sim_options *o);
/* Parses "single", "modular:M", "parallel:N", "modular-parallel:NxM",
 * "sts" into o->topo/units/modules; 0 or -EINVAL. */
int sim_parse_topology(struct sim_options *o, const char *spec);

struct sim;
int sim_start(struct sim **out, const struct sim_options *o);  /* serves in a thread */
const char *sim_pty(const struct sim *s);                      /* /dev/pts/N */
/* Runs one ctl command line ("ac-fail", "load 40", "stats"...); writes a
 * one-line reply (JSON for stats). 0 or -EINVAL with the reason in reply. */
int sim_ctl(struct sim *s, const char *line, char *reply, size_t len);
void sim_stop(struct sim *s);                                  /* accepts NULL */
