/* Which active alarms people have acknowledged (POST /api/v1/alarms/ack,
 * the web interface's alarm table). An alarm is one managed alarm bit of
 * one level (kind, unit, module) of the map in use, exactly what GET
 * /status lists in active_alarms. The set lives in memory only: a
 * restart makes every alarm unacknowledged again. Private to src/web. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device/maptab.h"
#include "device/model.h"

#define ACK_BITS (MODEL_ALARM_WORDS * 16)

struct alarm_acks {
	enum ups_map map;               /* the map the bits belong to */
	size_t n;
	struct ack_level {
		enum level_kind kind;
		uint8_t unit, module;
		uint16_t bits[MODEL_ALARM_WORDS];
	} levels[MODEL_MAX_LEVELS];
};

/* Bit [bit] of [l] is a managed alarm of [map] and set: an active alarm. */
bool ack_alarm_active(const struct map_def *map, const struct level_data *l, size_t bit);
/* Forgets the acknowledgement of every alarm that cleared in [s] (call
 * with each new snapshot): an alarm that comes back is a new one. A
 * level that was not read (communication lost) keeps its
 * acknowledgements; a level that is gone or a new map loses them. */
void ack_update(struct alarm_acks *a, const struct snapshot *s);
/* Acknowledges every active alarm of [s]; returns how many were not
 * acknowledged before. */
unsigned ack_all(struct alarm_acks *a, const struct snapshot *s);
bool ack_is_acked(const struct alarm_acks *a, enum ups_map map, const struct level_data *l,
		  size_t bit);
