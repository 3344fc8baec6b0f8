/* The RS-232 Modbus RTU link (libmodbus), 8N1, one slave.
 *
 * Every exchange is counted in the caller's link_stats; the response
 * timeout is the "additional serial timeout" of the speed plus the wire
 * time of the request and its reply. Errors come back as -errno:
 *   -EBADMSG    CRC error           -ETIMEDOUT  no (complete) reply
 *   -EREMOTEIO  Modbus exception    -EPROTO     malformed reply
 *   -ENODEV     the device is gone (close, then reopen with back-off). */
#pragma once

#include <stdint.h>

#include "device/model.h"
#include "device/trace.h"

#define SERIAL_MAX_READ 125     /* registers per function 3 request */

struct serial_link;

/* Default additional timeout for a speed: 200 ms at 2400, 100 ms at 9600,
 * 50 ms at 19200, 20 ms at 57600 and above. */
unsigned serial_default_extra_ms(unsigned baud);
/* Wire time of n bytes at baud, 10 bits per byte (8N1), microseconds. */
double serial_wire_us(unsigned baud, unsigned bytes);
/* Request and reply sizes of a function 3 read of count registers. */
static inline unsigned serial_request_bytes(void) { return 8; }
static inline unsigned serial_reply_bytes(unsigned count) { return 5 + 2 * count; }

/* Opens device at baud; extra_ms 0 = default for the speed. stats and
 * trace (may be NULL) are the caller's and outlive the link. 0, -EINVAL
 * on bad parameters, -ENODEV/-errno if the device cannot be opened. */
int serial_open(struct serial_link **out, const char *device, unsigned baud, int slave,
		unsigned extra_ms, struct link_stats *stats, struct trace *trace);
void serial_close(struct serial_link *l);             /* accepts NULL */
unsigned serial_baud(const struct serial_link *l);
/* Function 3, count 1..125 registers from address into dest. */
int serial_read(struct serial_link *l, uint16_t address, uint16_t count, uint16_t *dest);
/* True for the errors that mean the device is gone, not just silent. */
int serial_error_is_gone(int err);
