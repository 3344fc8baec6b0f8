#include "device/plan.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "device/serial.h"

#define PLAN_MAX_SPANS (PLAN_MAX_READS * 4)

struct interval {
	uint32_t lo, hi;            /* [lo, hi) */
};

struct plan_ctx {
	const struct map_def *map;
	const uint32_t *offsets;
	size_t n_offsets;
	unsigned max_gap;
};

double plan_transaction_us(unsigned baud, unsigned turnaround_ms)
{
	if (!turnaround_ms)
		turnaround_ms = serial_default_extra_ms(baud);
	return serial_wire_us(baud, 8 + 5) + 2 * 3.5 * serial_wire_us(baud, 1) +
		turnaround_ms * 1000.0;
}

unsigned plan_max_gap(unsigned baud, unsigned turnaround_ms)
{
	double words = plan_transaction_us(baud, turnaround_ms) / serial_wire_us(baud, 2);

	/* Strictly cheaper than a transaction; the epsilon keeps an exact
	 * tie (58 words at 9600 with 100 ms) from rounding either way. */
	return words < 1 ? 0 : (unsigned)ceil(words - 1e-6) - 1;
}

static int interval_cmp(const void *a, const void *b)
{
	const struct interval *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* Every word of [lo, hi) is in the readable span of some polled level. */
static bool gap_in_span(const struct plan_ctx *c, uint32_t lo, uint32_t hi)
{
	for (uint32_t a = lo; a < hi; a++) {
		bool in = false;

		for (size_t i = 0; i < c->n_offsets && !in; i++) {
			uint32_t s_lo = c->map->span_lo + c->offsets[i];
			uint32_t s_hi = c->map->span_hi + c->offsets[i];

			in = c->map->span_hi >= c->map->span_lo && a >= s_lo && a <= s_hi;
		}
		if (!in)
			return false;
	}
	return true;
}

static int collect(const struct plan_ctx *c, unsigned roles, struct interval *v, size_t *n)
{
	*n = 0;
	for (size_t o = 0; o < c->n_offsets; o++)
		for (size_t b = 0; b < c->map->n_blocks; b++) {
			const struct block_def *bd = &c->map->blocks[b];
			uint32_t lo = bd->address + c->offsets[o];

			if (!(roles & (1u << bd->role)) || bd->words == 0)
				continue;
			if (lo + bd->words > 0x10000)
				return -ERANGE;
			if (*n >= PLAN_MAX_SPANS)
				return -E2BIG;
			v[(*n)++] = (struct interval){ lo, lo + bd->words };
		}
	return 0;
}

/* Overlapping or adjacent blocks are one interval: reading them
 * together costs nothing extra. */
static size_t unite(struct interval *v, size_t n)
{
	size_t out = 0;

	qsort(v, n, sizeof(*v), interval_cmp);
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && v[i].lo <= v[out - 1].hi) {
			if (v[i].hi > v[out - 1].hi)
				v[out - 1].hi = v[i].hi;
			continue;
		}
		v[out++] = v[i];
	}
	return out;
}

static int emit(struct plan *p, uint32_t lo, uint32_t hi)
{
	while (lo < hi) {
		uint32_t n = hi - lo > SERIAL_MAX_READ ? SERIAL_MAX_READ : hi - lo;

		if (p->n >= PLAN_MAX_READS)
			return -E2BIG;
		p->reads[p->n++] = (struct plan_read){ (uint16_t)lo, (uint16_t)n };
		lo += n;
	}
	return 0;
}

/* An interval longer than one read: emit whole reads from its start and
 * keep the remainder open for merging with what follows. */
static int emit_excess(struct plan *p, struct interval *cur)
{
	uint32_t keep = (cur->hi - cur->lo) % SERIAL_MAX_READ;
	uint32_t split;
	int r;

	if (cur->hi - cur->lo <= SERIAL_MAX_READ)
		return 0;
	if (keep == 0)
		keep = SERIAL_MAX_READ;
	split = cur->hi - keep;
	r = emit(p, cur->lo, split);
	cur->lo = split;
	return r;
}

static bool worth_merging(const struct plan_ctx *c, const struct interval *cur,
			  const struct interval *next)
{
	uint32_t gap = next->lo - cur->hi;

	return gap <= c->max_gap && next->hi - cur->lo <= SERIAL_MAX_READ &&
		gap_in_span(c, cur->hi, next->lo);
}

int plan_build(struct plan *p, const struct map_def *map, unsigned roles,
	       const uint32_t *offsets, size_t n_offsets, unsigned baud, unsigned turnaround_ms)
{
	struct plan_ctx c = { map, offsets, n_offsets, 0 };
	struct interval *v, cur;
	size_t n;
	int r;

	if (!map || !offsets || n_offsets == 0 || baud == 0)
		return -EINVAL;
	c.max_gap = plan_max_gap(baud, turnaround_ms);
	p->n = 0;
	v = calloc(PLAN_MAX_SPANS, sizeof(*v));
	if (!v)
		return -ENOMEM;
	r = collect(&c, roles, v, &n);
	if (r < 0 || n == 0)
		goto out;
	n = unite(v, n);
	cur = v[0];
	r = emit_excess(p, &cur);
	for (size_t i = 1; i < n && r == 0; i++) {
		if (worth_merging(&c, &cur, &v[i])) {
			cur.hi = v[i].hi;
			continue;
		}
		r = emit(p, cur.lo, cur.hi);
		cur = v[i];
		if (r == 0)
			r = emit_excess(p, &cur);
	}
	if (r == 0)
		r = emit(p, cur.lo, cur.hi);
out:
	free(v);
	return r;
}

unsigned plan_registers(const struct plan *p)
{
	unsigned n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->reads[i].count;
	return n;
}

unsigned plan_bytes(const struct plan *p)
{
	unsigned n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += serial_request_bytes() + serial_reply_bytes(p->reads[i].count);
	return n;
}

double plan_wire_us(const struct plan *p, unsigned baud)
{
	return serial_wire_us(baud, plan_bytes(p)) + p->n * 2 * 3.5 * serial_wire_us(baud, 1);
}
