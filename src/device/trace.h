/* Serial trace ring: the frames the poller sent and received, with
 * CLOCK_REALTIME timestamps, for the debug page and a CSV export.
 *
 * libmodbus has no frame hook, so serial.c records the exact request it
 * asks libmodbus to send and rebuilds the reply frame from the registers
 * libmodbus returned (same bytes as on the wire, CRC recomputed); a
 * failed exchange is recorded as an "error" entry naming the failure.
 * Safe to feed from the poller thread while another thread exports. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TRACE_MAX_FRAMES 10000  /* cap on the ring size asked for */
#define TRACE_FRAME_MAX  256    /* Modbus RTU ADU maximum */

enum trace_dir {
	TRACE_TX = 0,
	TRACE_RX,
	TRACE_ERROR,
};

struct trace_entry {
	struct timespec when;       /* CLOCK_REALTIME */
	enum trace_dir dir;
	uint16_t len;
	uint8_t bytes[TRACE_FRAME_MAX];
	char note[48];              /* error text; "" for frames */
};

struct trace;

int trace_new(struct trace **out);                 /* disabled (0 frames) */
void trace_free(struct trace *t);                  /* accepts NULL */
/* Starts a new recording in a ring of that many frames (capped at
 * TRACE_MAX_FRAMES); 0 stops recording and keeps the frames until the
 * next start. 0 or -ENOMEM (the old ring is kept). */
int trace_set_size(struct trace *t, unsigned frames);
unsigned trace_size(struct trace *t);              /* 0 when not recording */
void trace_add(struct trace *t, enum trace_dir dir, const uint8_t *bytes, size_t len,
	       const char *note);
size_t trace_count(struct trace *t);               /* entries held */
/* Copies entry i (0 = oldest); 0 or -ENOENT. */
int trace_get(struct trace *t, size_t i, struct trace_entry *e);
/* Writes the ring as CSV with a header row; 0 or -errno. */
int trace_csv(struct trace *t, int fd);
const char *trace_dir_name(enum trace_dir d);
