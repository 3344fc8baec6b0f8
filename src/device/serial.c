#include "device/serial.h"

#include <errno.h>
#include <math.h>
#include <modbus/modbus.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "device/rtu.h"

struct serial_link {
	modbus_t *ctx;
	unsigned baud;
	int slave;
	unsigned extra_ms;
	struct link_stats *stats;
	struct trace *trace;
};

static const unsigned serial_speeds[] = {
	1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200,
};

unsigned serial_default_extra_ms(unsigned baud)
{
	if (baud <= 4800)
		return 200;
	if (baud <= 9600)
		return 100;
	if (baud <= 19200)
		return 50;
	return 20;
}

double serial_wire_us(unsigned baud, unsigned bytes)
{
	return bytes * 10.0 * 1e6 / baud;
}

static bool serial_speed_valid(unsigned baud)
{
	for (size_t i = 0; i < sizeof(serial_speeds) / sizeof(serial_speeds[0]); i++)
		if (serial_speeds[i] == baud)
			return true;
	return false;
}

int serial_error_is_gone(int err)
{
	return err == -ENODEV;
}

/* errno from open() or read()/write() on the tty -> "gone" or not. */
static int serial_map_os_error(int e)
{
	switch (e) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
	case EIO:
	case EBADF:
	case ECONNRESET:
	case EPIPE:
	case ENOTTY:
		return -ENODEV;
	default:
		return -e;
	}
}

int serial_open(struct serial_link **out, const char *device, unsigned baud, int slave,
		unsigned extra_ms, struct link_stats *stats, struct trace *trace)
{
	struct serial_link *l;
	int r;

	if (!device || !*device || !serial_speed_valid(baud) || slave < 1 || slave > 247)
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->baud = baud;
	l->slave = slave;
	l->extra_ms = extra_ms ? extra_ms : serial_default_extra_ms(baud);
	l->stats = stats;
	l->trace = trace;
	l->ctx = modbus_new_rtu(device, (int)baud, 'N', 8, 1);
	if (!l->ctx) {
		r = -errno;
		goto fail;
	}
	modbus_set_error_recovery(l->ctx, MODBUS_ERROR_RECOVERY_NONE);
	if (modbus_set_slave(l->ctx, slave) < 0 || modbus_connect(l->ctx) < 0) {
		r = serial_map_os_error(errno);
		goto fail;
	}
	/* Stale bytes from a previous owner of the port would desync the
	 * first exchange. */
	modbus_flush(l->ctx);
	*out = l;
	return 0;
fail:
	if (l->ctx)
		modbus_free(l->ctx);
	free(l);
	return r;
}

void serial_close(struct serial_link *l)
{
	if (!l)
		return;
	modbus_close(l->ctx);
	modbus_free(l->ctx);
	free(l);
}

unsigned serial_baud(const struct serial_link *l)
{
	return l->baud;
}

/* The trace holds the frames as they are on the wire; rtu.c builds
 * them the same way libmodbus does. */
static void trace_request(struct serial_link *l, uint16_t address, uint16_t count)
{
	uint8_t f[RTU_MAX_FRAME];
	int n = rtu_build_read_request(f, sizeof(f), (uint8_t)l->slave, RTU_FC_READ_HOLDING,
				       address, count);

	if (n > 0)
		trace_add(l->trace, TRACE_TX, f, (size_t)n, NULL);
}

static void trace_reply(struct serial_link *l, uint16_t count, const uint16_t *regs)
{
	uint8_t f[RTU_MAX_FRAME];
	int n = rtu_build_read_reply(f, sizeof(f), (uint8_t)l->slave, RTU_FC_READ_HOLDING,
				     regs, count);

	if (n > 0)
		trace_add(l->trace, TRACE_RX, f, (size_t)n, NULL);
}

static void serial_set_timeout(struct serial_link *l, uint16_t count)
{
	double us = l->extra_ms * 1000.0 +
		serial_wire_us(l->baud, serial_request_bytes() + serial_reply_bytes(count));
	uint32_t whole = (uint32_t)ceil(us);

	modbus_set_response_timeout(l->ctx, whole / 1000000, whole % 1000000);
	/* Between bytes of one frame: 1.5 chars in the standard; a USB
	 * adapter delivers in bursts, so allow the additional timeout. */
	modbus_set_byte_timeout(l->ctx, l->extra_ms / 1000, (l->extra_ms % 1000) * 1000);
}

/* After a bad frame, wait for 3.5 chars of silence (the RTU frame
 * boundary) so the next request does not meet the tail of this one;
 * bounded by one maximal frame plus the additional timeout. */
static void serial_resync(struct serial_link *l)
{
	int fd = modbus_get_socket(l->ctx);
	int silence_ms = (int)ceil(serial_wire_us(l->baud, 4) / 1000.0) + 1;
	int budget_ms = (int)ceil(serial_wire_us(l->baud, 256) / 1000.0) + (int)l->extra_ms;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t scratch[256];

	while (fd >= 0 && budget_ms > 0) {
		int r = poll(&pfd, 1, silence_ms);

		if (r <= 0 || !(pfd.revents & POLLIN))
			break;
		if (read(fd, scratch, sizeof(scratch)) <= 0)
			break;
		budget_ms -= silence_ms;
	}
	modbus_flush(l->ctx);
}

/* libmodbus errno -> our error, and the counter it feeds. */
static int serial_classify(struct serial_link *l, int e, const char **what)
{
	if (e == EMBBADCRC) {
		l->stats->crc_errors++;
		*what = "crc error";
		return -EBADMSG;
	}
	if (e == ETIMEDOUT) {
		l->stats->timeouts++;
		*what = "timeout";
		return -ETIMEDOUT;
	}
	if (e >= EMBXILFUN && e <= EMBXGTAR) {
		l->stats->exceptions++;
		*what = "exception";
		return -EREMOTEIO;
	}
	if (e > MODBUS_ENOBASE) {
		l->stats->other_errors++;
		*what = "malformed reply";
		return -EPROTO;
	}
	l->stats->other_errors++;
	*what = "device error";
	return serial_map_os_error(e);
}

static unsigned serial_rx_bytes(int err, uint16_t count)
{
	switch (err) {
	case 0:
		return serial_reply_bytes(count);
	case -ETIMEDOUT:
	case -ENODEV:
		return 0;
	case -EREMOTEIO:
		return 5;
	default:
		/* A corrupt reply: count what a good one would have carried. */
		return serial_reply_bytes(count);
	}
}

static void serial_trace_error(struct serial_link *l, const char *what, int e)
{
	char note[48];

	snprintf(note, sizeof(note), "%s: %s", what,
		 e > MODBUS_ENOBASE ? modbus_strerror(e) : strerror(e));
	trace_add(l->trace, TRACE_ERROR, NULL, 0, note);
}

int serial_read(struct serial_link *l, uint16_t address, uint16_t count, uint16_t *dest)
{
	const char *what = NULL;
	int r = 0, e;

	if (count < 1 || count > SERIAL_MAX_READ || (uint32_t)address + count > 0x10000)
		return -EINVAL;
	serial_set_timeout(l, count);
	trace_request(l, address, count);
	errno = 0;
	r = modbus_read_registers(l->ctx, address, count, dest);
	e = errno;
	l->stats->transactions++;
	l->stats->bytes_tx += serial_request_bytes();
	if (r == count) {
		l->stats->bytes_rx += serial_reply_bytes(count);
		trace_reply(l, count, dest);
		return 0;
	}
	if (r >= 0) {
		/* libmodbus checks the byte count, so this cannot happen;
		 * never hand a partial block upward all the same. */
		l->stats->other_errors++;
		what = "short reply";
		r = -EPROTO;
	} else {
		r = serial_classify(l, e ? e : EIO, &what);
	}
	l->stats->bytes_rx += serial_rx_bytes(r, count);
	serial_trace_error(l, what, e);
	/* A timeout or an exception ends on a frame boundary already;
	 * anything else may leave the tail of a frame on the line. */
	if (r == -EBADMSG || r == -EPROTO)
		serial_resync(l);
	else if (r == -ETIMEDOUT)
		modbus_flush(l->ctx);
	return r;
}
