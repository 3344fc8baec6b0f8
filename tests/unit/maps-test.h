/* Shared helpers of the decoder tests: TAP output and hand-written
 * register dumps. */
#pragma once

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/decode.h"

struct tap {
	int n;
	int failed;
};

static inline void tap_check(struct tap *t, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void tap_check(struct tap *t, int ok, const char *fmt, ...)
{
	va_list ap;

	t->n++;
	if (!ok)
		t->failed++;
	printf("%sok %d - ", ok ? "" : "not ", t->n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define CHECK(t, cond, ...) tap_check((t), !!(cond), __VA_ARGS__)

#define TAP_NAME(buf, fmt) \
	do { \
		va_list ap; \
		va_start(ap, fmt); \
		vsnprintf(buf, sizeof(buf), fmt, ap); \
		va_end(ap); \
	} while (0)

static inline void tap_int(struct tap *t, long got, long want, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void tap_int(struct tap *t, long got, long want, const char *fmt, ...)
{
	char name[160];

	TAP_NAME(name, fmt);
	tap_check(t, got == want, "%s: got %ld, want %ld", name, got, want);
}

/* want NAN means "not available". */
static inline void tap_near(struct tap *t, double got, double want, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void tap_near(struct tap *t, double got, double want, const char *fmt, ...)
{
	char name[160];

	TAP_NAME(name, fmt);
	tap_check(t, isnan(want) ? isnan(got) : fabs(got - want) < 1e-9,
		  "%s: got %g, want %g", name, got, want);
}

static inline void tap_str(struct tap *t, const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void tap_str(struct tap *t, const char *got, const char *want, const char *fmt, ...)
{
	char name[160];

	TAP_NAME(name, fmt);
	tap_check(t, strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"", name, got, want);
}

#define CHECK_INT(t, got, want, ...) tap_int((t), (long)(got), (long)(want), __VA_ARGS__)
#define CHECK_NEAR(t, got, want, ...) tap_near((t), (got), (want), __VA_ARGS__)
#define CHECK_STR(t, got, want, ...) tap_str((t), (got), (want), __VA_ARGS__)

static inline int tap_done(const struct tap *t)
{
	printf("1..%d\n", t->n);
	if (t->failed)
		fprintf(stderr, "%d of %d checks failed\n", t->failed, t->n);
	return t->failed ? 1 : 0;
}

/* A register dump as the poller would hold it: blocks at device
 * addresses, all words 0 until set. */
struct dump {
	size_t n;
	struct raw_block b[16];
};

static inline void dump_block(struct dump *d, uint16_t address, uint16_t count)
{
	struct raw_block *b = &d->b[d->n++];

	memset(b, 0, sizeof(*b));
	b->slave = 1;
	b->address = address;
	b->count = count;
}

/* Sets one word; aborts the test if no block holds it (a typo in a
 * test must not pass silently). */
static inline void dump_set(struct dump *d, uint32_t address, uint16_t value)
{
	for (size_t i = 0; i < d->n; i++) {
		struct raw_block *b = &d->b[i];

		if (address >= b->address && address < (uint32_t)b->address + b->count) {
			b->regs[address - b->address] = value;
			return;
		}
	}
	fprintf(stderr, "dump_set: no block holds 0x%04X\n", (unsigned)address);
	abort();
}

/* Two ASCII characters per word, the first in the MSB or the LSB. */
static inline void dump_ascii(struct dump *d, uint32_t address, unsigned words, const char *s,
			      int lsb_first)
{
	size_t len = strlen(s);

	for (unsigned i = 0; i < words; i++) {
		uint16_t c1 = 2 * i < len ? (unsigned char)s[2 * i] : 0;
		uint16_t c2 = 2 * i + 1 < len ? (unsigned char)s[2 * i + 1] : 0;

		dump_set(d, address + i, lsb_first ? (uint16_t)(c2 << 8 | c1) : (uint16_t)(c1 << 8 | c2));
	}
}

static inline struct regview dump_view(const struct dump *d, uint32_t offset)
{
	return (struct regview){ d->b, d->n, offset };
}

/* A level as the poller keeps it before decode_level(). */
static inline void level_init(struct level_data *l)
{
	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < _MEAS_COUNT; i++)
		l->meas[i] = NAN;
}
