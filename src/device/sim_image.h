/* Simulator register image: encodes the simulated state of one level
 * into the registers of its map, with the same tables the decoder reads
 * (maptab.h): raw = value * div[T014], 0xFFFF for a measurement the range
 * does not manage, status/alarm bits from the map's flag rules, identity
 * and configuration words per topology. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "device/maptab.h"
#include "device/sim_physics.h"

#define SIM_BITS_MAX 128            /* VU-MAP: 8 words of status or alarms */

/* Status and alarm bits of one level, by index in the map's tables. */
struct sim_bits {
	uint64_t status[SIM_BITS_MAX / 64];
	uint64_t alarm[SIM_BITS_MAX / 64];
};

static inline bool sim_bits_test(const uint64_t *set, unsigned i)
{
	return i < SIM_BITS_MAX && (set[i / 64] >> (i % 64)) & 1;
}

static inline void sim_bits_put(uint64_t *set, unsigned i, bool on)
{
	if (i >= SIM_BITS_MAX)
		return;
	if (on)
		set[i / 64] |= (uint64_t)1 << (i % 64);
	else
		set[i / 64] &= ~((uint64_t)1 << (i % 64));
}

/* T014 of the simulated device: 1 (x10) on VU-MAP, 0 elsewhere. */
unsigned sim_image_factor(const struct map_def *m);

/* The bits a level shows, before ctl overrides. */
void sim_image_bits(const struct map_def *m, const struct sim_physics *p, size_t level,
		    struct sim_bits *out);

/* Finds a status or alarm bit by acronym ("S05", "a019"); 0 or -ENOENT. */
int sim_image_find_bit(const struct map_def *m, const char *acronym,
		       enum bit_source *src, unsigned *index);

/* True if addr (a map address, before the level offset) lies in the
 * window a level serves (JBUSP 0x1000-0x10FF, VU-MAP 0x0001-0x008F,
 * STS 0x0100-0x014F and 0x0220-0x025F). */
bool sim_image_in_window(const struct map_def *m, uint16_t addr);

/* The register at map address addr of a level (addr in its window;
 * undefined words read 0). */
uint16_t sim_image_reg(const struct map_def *m, const struct sim_physics *p, size_t level,
		       const struct sim_bits *bits, uint16_t addr);

/* A measurement encoded as the map carries it: 0xFFFF for NAN. */
uint16_t sim_image_encode(const struct meas_reg *r, unsigned factor, double value);
/* The value a decoder reads back from that register (NAN for 0xFFFF). */
double sim_image_decode(const struct meas_reg *r, unsigned factor, uint16_t raw);

/* Checks that every bit the simulator drives exists in the map's tables;
 * 0 or -ENOENT (logged). */
int sim_image_check(const struct map_def *m);
