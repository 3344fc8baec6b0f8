/* Modbus RTU frame codec: CRC16, request parsing and building, replies
 * and exceptions. Pure functions on byte buffers, no I/O; used by the
 * simulator (slave side), the unit tests and the poller's frame trace.
 * Every length is checked against the buffer and against the protocol's
 * limits before a byte is read or written. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define RTU_MAX_FRAME      256      /* address + PDU (253) + CRC */
#define RTU_MAX_READ       125      /* registers per read (function 3/4) */
#define RTU_MAX_WRITE      123      /* registers per write (function 16) */

#define RTU_FC_READ_HOLDING   0x03
#define RTU_FC_READ_INPUT     0x04
#define RTU_FC_WRITE_SINGLE   0x06
#define RTU_FC_WRITE_MULTIPLE 0x10

#define RTU_EX_ILLEGAL_FUNCTION  0x01
#define RTU_EX_ILLEGAL_ADDRESS   0x02
#define RTU_EX_ILLEGAL_VALUE     0x03
#define RTU_EX_DEVICE_FAILURE    0x04

struct rtu_request {
	uint8_t slave;
	uint8_t function;
	uint16_t address;
	uint16_t count;             /* registers; 1 for function 6 */
	uint16_t values[RTU_MAX_WRITE];  /* functions 6 and 16 */
};

/* CRC16 (poly 0xA001, init 0xFFFF) as sent on the wire: low byte first. */
uint16_t rtu_crc16(const uint8_t *p, size_t n);
/* 1 if the last two bytes are the CRC of the rest, else 0. */
int rtu_crc_ok(const uint8_t *frame, size_t len);

/* Expected total length of the request starting at buf, given the
 * len bytes received so far: > 0 the length, 0 more bytes are needed to
 * tell, -ENOTSUP the function is not one we know the length of. */
int rtu_request_size(const uint8_t *buf, size_t len);

/* Parses one whole frame. 0 on success; -EBADMSG bad length or CRC
 * (nothing usable, no reply on a real bus); -ENOTSUP unsupported function
 * and -ERANGE a count or byte count outside the protocol's limits
 * (req->slave and req->function are set: the caller answers exception
 * 01 / 03). */
int rtu_parse_request(const uint8_t *frame, size_t len, struct rtu_request *req);

/* Builders return the frame length written to out (CRC included), or
 * -ENOBUFS if cap is too small, -EINVAL for out-of-range arguments. */
int rtu_build_read_request(uint8_t *out, size_t cap, uint8_t slave, uint8_t function,
			   uint16_t address, uint16_t count);
int rtu_build_write_request(uint8_t *out, size_t cap, uint8_t slave, uint16_t address,
			    const uint16_t *values, uint16_t count);  /* 6 if count 1 */
int rtu_build_read_reply(uint8_t *out, size_t cap, uint8_t slave, uint8_t function,
			 const uint16_t *regs, uint16_t count);
int rtu_build_write_reply(uint8_t *out, size_t cap, const struct rtu_request *req);
int rtu_build_exception(uint8_t *out, size_t cap, uint8_t slave, uint8_t function, uint8_t code);

/* Checks a reply against the request it answers. Returns the number of
 * registers copied into regs (reads), 0 (writes), -EBADMSG (bad CRC,
 * length, slave or function), or -EREMOTEIO with *exception set. */
int rtu_parse_reply(const uint8_t *frame, size_t len, const struct rtu_request *req,
		    uint16_t *regs, size_t max_regs, uint8_t *exception);

/* One line describing a frame for traces: "slave 1 read(3) 0x1000 x12",
 * "slave 1 reply(3) 12 regs", "slave 1 exception(3) 02", "bad crc (8 bytes)". */
void rtu_describe(const uint8_t *frame, size_t len, int is_request, char *out, size_t cap);
