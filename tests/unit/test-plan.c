/* Read plan coalescing: the exact reads for each map, cadence and level
 * layout; never more than 125 registers; never a gap word outside the
 * map's span; the gap threshold at each speed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/plan.h"

#include "check.h"

struct expect {
	uint16_t address, count;
};

static bool word_in_block(const struct map_def *m, unsigned roles, const uint32_t *off, size_t n,
			  uint32_t a)
{
	for (size_t o = 0; o < n; o++)
		for (size_t b = 0; b < m->n_blocks; b++) {
			uint32_t lo = m->blocks[b].address + off[o];

			if ((roles & (1u << m->blocks[b].role)) && a >= lo && a < lo + m->blocks[b].words)
				return true;
		}
	return false;
}

static bool word_in_span(const struct map_def *m, const uint32_t *off, size_t n, uint32_t a)
{
	for (size_t o = 0; o < n; o++)
		if (a >= m->span_lo + off[o] && a <= m->span_hi + off[o])
			return true;
	return false;
}

/* Invariants every plan keeps, whatever the expected list. */
static void check_invariants(const char *name, const struct map_def *m, unsigned roles,
			     const uint32_t *off, size_t n, const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_read *r = &p->reads[i];

		CHECK(r->count >= 1 && r->count <= 125, "%s: read %zu has %u registers", name, i,
		      r->count);
		if (i > 0)
			CHECK(r->address >= p->reads[i - 1].address + p->reads[i - 1].count,
			      "%s: read %zu overlaps or is out of order", name, i);
		for (uint32_t a = r->address; a < (uint32_t)r->address + r->count; a++)
			if (!word_in_block(m, roles, off, n, a))
				CHECK(word_in_span(m, off, n, a),
				      "%s: gap word 0x%04x outside the span", name, a);
	}
	/* Every block word is read. */
	for (size_t o = 0; o < n; o++)
		for (size_t b = 0; b < m->n_blocks; b++) {
			const struct block_def *bd = &m->blocks[b];

			if (!(roles & (1u << bd->role)))
				continue;
			for (uint32_t a = bd->address + off[o]; a < bd->address + off[o] + bd->words; a++) {
				bool read = false;

				for (size_t i = 0; i < p->n && !read; i++)
					read = a >= p->reads[i].address &&
						a < (uint32_t)p->reads[i].address + p->reads[i].count;
				CHECK(read, "%s: block word 0x%04x not read", name, a);
			}
		}
}

static void expect_plan(const char *name, const struct map_def *m, unsigned roles,
			const uint32_t *off, size_t n, unsigned baud, const struct expect *e, size_t ne)
{
	struct plan p;
	int r = plan_build(&p, m, roles, off, n, baud, 0);

	CHECK(r == 0, "%s: plan_build = %d", name, r);
	if (r < 0)
		return;
	check_invariants(name, m, roles, off, n, &p);
	CHECK(p.n == ne, "%s: %zu reads, expected %zu", name, p.n, ne);
	for (size_t i = 0; i < p.n && i < ne; i++)
		CHECK(p.reads[i].address == e[i].address && p.reads[i].count == e[i].count,
		      "%s: read %zu is 0x%04x x%u, expected 0x%04x x%u", name, i,
		      p.reads[i].address, p.reads[i].count, e[i].address, e[i].count);
	if (failures == 0)
		printf("ok %s (%zu reads)\n", name, p.n);
}

#define EXPECT(name, map, roles, off, baud, ...) do { \
	static const struct expect e_[] = { __VA_ARGS__ }; \
	expect_plan(name, map, roles, off, sizeof(off) / sizeof(off[0]), baud, e_, \
		    sizeof(e_) / sizeof(e_[0])); \
} while (0)

static void test_jbusp(void)
{
	const uint32_t sys[] = { 0 };
	const uint32_t par3[] = { 0, 0x100, 0x200, 0x300 };
	const unsigned speeds[] = { 2400, 9600, 19200, 57600 };

	for (size_t s = 0; s < 4; s++) {
		char name[64];

		snprintf(name, sizeof(name), "jbusp identity @%u", speeds[s]);
		EXPECT(name, &map_jbusp, PLAN_ROLES_IDENTITY, sys, speeds[s], { 0x1000, 12 }, { 0x10E0, 16 });
		snprintf(name, sizeof(name), "jbusp fast @%u", speeds[s]);
		EXPECT(name, &map_jbusp, PLAN_ROLES_FAST, sys, speeds[s], { 0x1020, 36 });
		snprintf(name, sizeof(name), "jbusp full @%u", speeds[s]);
		EXPECT(name, &map_jbusp, PLAN_ROLES_FULL, sys, speeds[s], { 0x1020, 112 });
	}
	/* Units 0x100 apart: the 0x1090-0x111F gap (144 words) is never
	 * worth it, so one read per level. */
	EXPECT("jbusp parallel:3 fast", &map_jbusp, PLAN_ROLES_FAST, par3, 9600,
	       { 0x1020, 36 }, { 0x1120, 36 }, { 0x1220, 36 }, { 0x1320, 36 });
	EXPECT("jbusp parallel:3 full", &map_jbusp, PLAN_ROLES_FULL, par3, 9600,
	       { 0x1020, 112 }, { 0x1120, 112 }, { 0x1220, 112 }, { 0x1320, 112 });
}

static void test_vumap(void)
{
	const uint32_t sys[] = { 0 };
	const uint32_t units[] = { 0, 0x100, 0x200, 0x300 };
	/* Levels 0x60 apart: each level's 0x30-0x8F ends where the next
	 * begins, so the reads run on and split at 125. */
	const uint32_t packed[] = { 0, 0x60, 0xC0 };

	EXPECT("vumap identity", &map_vumap, PLAN_ROLES_IDENTITY, sys, 9600, { 0x0001, 35 });
	EXPECT("vumap fast", &map_vumap, PLAN_ROLES_FAST, sys, 9600, { 0x0030, 16 });
	EXPECT("vumap full", &map_vumap, PLAN_ROLES_FULL, sys, 9600, { 0x0030, 96 });
	EXPECT("vumap full @57600", &map_vumap, PLAN_ROLES_FULL, sys, 57600, { 0x0030, 96 });
	EXPECT("vumap per-unit full", &map_vumap, PLAN_ROLES_FULL, units, 9600,
	       { 0x0030, 96 }, { 0x0130, 96 }, { 0x0230, 96 }, { 0x0330, 96 });
	EXPECT("vumap per-unit identity", &map_vumap, PLAN_ROLES_IDENTITY, units, 9600,
	       { 0x0001, 35 }, { 0x0101, 35 }, { 0x0201, 35 }, { 0x0301, 35 });
	/* 0x30..0x14F: 288 words contiguous -> 125 + 125 + 38; the identity
	 * blocks of the next levels are not in the roles so nothing else. */
	EXPECT("vumap packed full", &map_vumap, PLAN_ROLES_FULL, packed, 9600,
	       { 0x0030, 125 }, { 0x00AD, 125 }, { 0x012A, 38 });
}

static void test_sts(void)
{
	const uint32_t sys[] = { 0 };

	EXPECT("sts identity", &map_sts, PLAN_ROLES_IDENTITY, sys, 9600, { 0x0100, 48 });
	EXPECT("sts fast", &map_sts, PLAN_ROLES_FAST, sys, 9600, { 0x0140, 10 });
	/* 0x014A-0x021F is outside the span and far too long anyway. */
	EXPECT("sts full", &map_sts, PLAN_ROLES_FULL, sys, 9600, { 0x0140, 10 }, { 0x0220, 64 });
}

/* A synthetic map to pin the gap rule at its edges. */
static struct block_def syn_blocks[2];
static struct map_def syn = { .name = "synthetic", .blocks = syn_blocks, .n_blocks = 2 };

static void syn_set(uint16_t a, uint16_t wa, uint16_t b, uint16_t wb, uint16_t lo, uint16_t hi)
{
	syn_blocks[0] = (struct block_def){ "a", a, wa, ROLE_STATUS };
	syn_blocks[1] = (struct block_def){ "b", b, wb, ROLE_ALARMS };
	syn.span_lo = lo;
	syn.span_hi = hi;
}

static void test_gap_rule(void)
{
	const uint32_t sys[] = { 0 };
	unsigned g9600 = plan_max_gap(9600, 0);

	/* 8 + 5 + 7 chars + 100 ms (96 chars) = 116 chars = 58 words: a
	 * 58-word gap ties with a transaction, so 57 is the largest. */
	CHECK(g9600 == 57, "max gap at 9600 is %u, expected 57", g9600);
	CHECK(plan_max_gap(19200, 0) == 57, "max gap at 19200 is %u", plan_max_gap(19200, 0));
	CHECK(plan_max_gap(57600, 0) == 67, "max gap at 57600 is %u", plan_max_gap(57600, 0));
	CHECK(plan_max_gap(2400, 0) == 33, "max gap at 2400 is %u", plan_max_gap(2400, 0));
	CHECK(plan_max_gap(9600, 10) == 14, "max gap at 9600/10ms is %u", plan_max_gap(9600, 10));

	syn_set(0x100, 10, 0x100 + 10 + 57, 10, 0x100, 0x1FF);
	EXPECT("gap 57 merges", &syn, PLAN_ROLES_FAST, sys, 9600, { 0x100, 77 });
	syn_set(0x100, 10, 0x100 + 10 + 58, 10, 0x100, 0x1FF);
	EXPECT("gap 58 does not", &syn, PLAN_ROLES_FAST, sys, 9600, { 0x100, 10 }, { 0x144, 10 });
	syn_set(0x100, 10, 0x100 + 10 + 20, 10, 0x100, 0x110);
	EXPECT("gap leaving the span does not", &syn, PLAN_ROLES_FAST, sys, 9600,
	       { 0x100, 10 }, { 0x11E, 10 });
	syn_set(0x100, 10, 0x10C, 10, 0x000, 0x000);
	EXPECT("no span, no gap", &syn, PLAN_ROLES_FAST, sys, 9600, { 0x100, 10 }, { 0x10C, 10 });
	syn_set(0x100, 100, 0x100 + 100 + 5, 30, 0x100, 0x1FF);
	EXPECT("merge capped at 125", &syn, PLAN_ROLES_FAST, sys, 9600, { 0x100, 100 }, { 0x169, 30 });
	syn_set(0x100, 100, 0x164, 30, 0x100, 0x1FF);
	EXPECT("adjacent split at 125", &syn, PLAN_ROLES_FAST, sys, 9600, { 0x100, 125 }, { 0x17D, 5 });
	syn_set(0x100, 10, 0x105, 10, 0x100, 0x1FF);
	EXPECT("overlap united", &syn, PLAN_ROLES_FAST, sys, 9600, { 0x100, 15 });
	syn_set(0x10, 10, 0x30, 10, 0x00, 0xFF);
	EXPECT("roles filter", &syn, 1u << ROLE_ALARMS, sys, 9600, { 0x30, 10 });
}

static void test_errors(void)
{
	const uint32_t high[] = { 0xFFF0 };
	uint32_t many[40];
	struct plan p;

	syn_set(0x100, 10, 0x200, 10, 0x100, 0x100);
	CHECK(plan_build(&p, &syn, PLAN_ROLES_FAST, high, 1, 9600, 0) == -ERANGE,
	      "a level past 0xFFFF is refused");
	for (size_t i = 0; i < 40; i++)
		many[i] = i * 0x400;
	CHECK(plan_build(&p, &syn, PLAN_ROLES_FAST, many, 40, 9600, 0) == -E2BIG,
	      "more than PLAN_MAX_READS reads is refused");
	CHECK(plan_build(&p, &syn, PLAN_ROLES_FAST, many, 0, 9600, 0) == -EINVAL,
	      "no level is refused");
}

static void test_cost(void)
{
	struct plan p = { .n = 1, .reads = { { 0x1020, 112 } } };
	double us = plan_wire_us(&p, 9600);

	/* (8 + 5 + 224) bytes + 7 chars = 244 chars at 9600 = 254.17 ms */
	CHECK(plan_bytes(&p) == 237, "plan bytes %u", plan_bytes(&p));
	CHECK(us > 254100 && us < 254200, "wire time %.0f us", us);
	CHECK(plan_registers(&p) == 112, "registers");
}

int main(void)
{
	test_jbusp();
	test_vumap();
	test_sts();
	test_gap_rule();
	test_errors();
	test_cost();
	if (failures)
		printf("%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
