/* The acknowledged alarms: one bitmap per level, over the bits of the
 * map's alarm words. Pure: fed with snapshots, read by the API. */
#include "web/ack.h"

#include <string.h>

bool ack_alarm_active(const struct map_def *map, const struct level_data *l, size_t bit)
{
	const struct bit_def *d;

	if (!map || !l->valid || bit >= map->n_alarm_bits || bit >= ACK_BITS)
		return false;
	d = &map->alarm_bits[bit];
	return d->acronym && d->level != LEVEL_NONE && ((l->alarms[bit / 16] >> (bit % 16)) & 1);
}

/* The active alarms of [l] as a bitmap. */
static void active_mask(const struct map_def *map, const struct level_data *l,
			uint16_t mask[MODEL_ALARM_WORDS])
{
	memset(mask, 0, sizeof(uint16_t) * MODEL_ALARM_WORDS);
	for (size_t b = 0; map && b < map->n_alarm_bits && b < ACK_BITS; b++)
		if (ack_alarm_active(map, l, b))
			mask[b / 16] |= (uint16_t)(1u << (b % 16));
}

static bool same_level(const struct ack_level *e, const struct level_data *l)
{
	return e->kind == l->kind && e->unit == l->unit && e->module == l->module;
}

static const struct level_data *find_level(const struct snapshot *s, const struct ack_level *e)
{
	for (size_t i = 0; i < s->n_levels && i < MODEL_MAX_LEVELS; i++)
		if (same_level(e, &s->levels[i]))
			return &s->levels[i];
	return NULL;
}

static bool empty(const struct ack_level *e)
{
	for (size_t w = 0; w < MODEL_ALARM_WORDS; w++)
		if (e->bits[w])
			return false;
	return true;
}

static void reset(struct alarm_acks *a, enum ups_map map)
{
	memset(a, 0, sizeof(*a));
	a->map = map;
}

void ack_update(struct alarm_acks *a, const struct snapshot *s)
{
	const struct map_def *map;
	size_t kept = 0;

	if (!s || s->id.map == MAP_NONE)
		return;                 /* nothing known yet: keep what was acknowledged */
	if (s->id.map != a->map) {
		reset(a, s->id.map);
		return;
	}
	map = map_get(s->id.map);
	for (size_t i = 0; i < a->n; i++) {
		struct ack_level e = a->levels[i];
		const struct level_data *l = find_level(s, &e);
		uint16_t mask[MODEL_ALARM_WORDS];

		if (!l)
			continue;
		if (l->valid) {
			active_mask(map, l, mask);
			for (size_t w = 0; w < MODEL_ALARM_WORDS; w++)
				e.bits[w] &= mask[w];
		}
		if (!empty(&e))
			a->levels[kept++] = e;
	}
	a->n = kept;
}

static struct ack_level *entry_for(struct alarm_acks *a, const struct level_data *l)
{
	for (size_t i = 0; i < a->n; i++)
		if (same_level(&a->levels[i], l))
			return &a->levels[i];
	if (a->n == MODEL_MAX_LEVELS)
		return NULL;            /* cannot happen: one entry per level */
	a->levels[a->n] = (struct ack_level) { .kind = l->kind, .unit = l->unit, .module = l->module };
	return &a->levels[a->n++];
}

unsigned ack_all(struct alarm_acks *a, const struct snapshot *s)
{
	const struct map_def *map;
	unsigned fresh = 0;

	if (!s || s->id.map == MAP_NONE)
		return 0;
	if (s->id.map != a->map)
		reset(a, s->id.map);
	map = map_get(s->id.map);
	for (size_t i = 0; i < s->n_levels && i < MODEL_MAX_LEVELS; i++) {
		const struct level_data *l = &s->levels[i];
		uint16_t mask[MODEL_ALARM_WORDS];
		struct ack_level *e;

		active_mask(map, l, mask);
		if (!memcmp(mask, (uint16_t[MODEL_ALARM_WORDS]) { 0 }, sizeof(mask)))
			continue;
		e = entry_for(a, l);
		if (!e)
			break;
		for (size_t w = 0; w < MODEL_ALARM_WORDS; w++) {
			fresh += (unsigned)__builtin_popcount(mask[w] & (uint16_t)~e->bits[w]);
			e->bits[w] |= mask[w];
		}
	}
	return fresh;
}

bool ack_is_acked(const struct alarm_acks *a, enum ups_map map, const struct level_data *l,
		  size_t bit)
{
	if (map != a->map || bit >= ACK_BITS)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (same_level(&a->levels[i], l))
			return (a->levels[i].bits[bit / 16] >> (bit % 16)) & 1;
	return false;
}
