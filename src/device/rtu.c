/* Modbus RTU frame codec (see rtu.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "device/rtu.h"

uint16_t rtu_crc16(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xFFFF;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
	}
	return crc;
}

int rtu_crc_ok(const uint8_t *frame, size_t len)
{
	if (len < 4)
		return 0;
	uint16_t crc = rtu_crc16(frame, len - 2);
	return frame[len - 2] == (crc & 0xFF) && frame[len - 1] == (crc >> 8);
}

static size_t put_crc(uint8_t *out, size_t n)
{
	uint16_t crc = rtu_crc16(out, n);

	out[n] = crc & 0xFF;
	out[n + 1] = crc >> 8;
	return n + 2;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xFF;
}

int rtu_request_size(const uint8_t *buf, size_t len)
{
	if (len < 2)
		return 0;
	switch (buf[1]) {
	case RTU_FC_READ_HOLDING:
	case RTU_FC_READ_INPUT:
	case RTU_FC_WRITE_SINGLE:
		return 8;
	case RTU_FC_WRITE_MULTIPLE:
		/* slave fc addr(2) count(2) bytes(1) data crc(2) */
		if (len < 7)
			return 0;
		return 9 + buf[6];
	default:
		return -ENOTSUP;
	}
}

int rtu_parse_request(const uint8_t *frame, size_t len, struct rtu_request *req)
{
	memset(req, 0, sizeof(*req));
	if (len < 4 || len > RTU_MAX_FRAME || !rtu_crc_ok(frame, len))
		return -EBADMSG;
	req->slave = frame[0];
	req->function = frame[1];

	switch (req->function) {
	case RTU_FC_READ_HOLDING:
	case RTU_FC_READ_INPUT:
		if (len != 8)
			return -EBADMSG;
		req->address = get16(frame + 2);
		req->count = get16(frame + 4);
		if (req->count < 1 || req->count > RTU_MAX_READ)
			return -ERANGE;
		return 0;
	case RTU_FC_WRITE_SINGLE:
		if (len != 8)
			return -EBADMSG;
		req->address = get16(frame + 2);
		req->count = 1;
		req->values[0] = get16(frame + 4);
		return 0;
	case RTU_FC_WRITE_MULTIPLE:
		if (len < 9 || len != 9u + frame[6])
			return -EBADMSG;
		req->address = get16(frame + 2);
		req->count = get16(frame + 4);
		if (req->count < 1 || req->count > RTU_MAX_WRITE || frame[6] != 2 * req->count) {
			req->count = 0;
			return -ERANGE;
		}
		for (unsigned i = 0; i < req->count; i++)
			req->values[i] = get16(frame + 7 + 2 * i);
		return 0;
	default:
		return -ENOTSUP;
	}
}

int rtu_build_read_request(uint8_t *out, size_t cap, uint8_t slave, uint8_t function,
			   uint16_t address, uint16_t count)
{
	if (function != RTU_FC_READ_HOLDING && function != RTU_FC_READ_INPUT)
		return -EINVAL;
	if (count < 1 || count > RTU_MAX_READ)
		return -EINVAL;
	if (cap < 8)
		return -ENOBUFS;
	out[0] = slave;
	out[1] = function;
	put16(out + 2, address);
	put16(out + 4, count);
	return (int)put_crc(out, 6);
}

int rtu_build_write_request(uint8_t *out, size_t cap, uint8_t slave, uint16_t address,
			    const uint16_t *values, uint16_t count)
{
	if (count < 1 || count > RTU_MAX_WRITE)
		return -EINVAL;
	out[0] = slave;
	if (count == 1) {
		if (cap < 8)
			return -ENOBUFS;
		out[1] = RTU_FC_WRITE_SINGLE;
		put16(out + 2, address);
		put16(out + 4, values[0]);
		return (int)put_crc(out, 6);
	}
	if (cap < 9u + 2u * count)
		return -ENOBUFS;
	out[1] = RTU_FC_WRITE_MULTIPLE;
	put16(out + 2, address);
	put16(out + 4, count);
	out[6] = (uint8_t)(2 * count);
	for (unsigned i = 0; i < count; i++)
		put16(out + 7 + 2 * i, values[i]);
	return (int)put_crc(out, 7 + 2u * count);
}

int rtu_build_read_reply(uint8_t *out, size_t cap, uint8_t slave, uint8_t function,
			 const uint16_t *regs, uint16_t count)
{
	if (count < 1 || count > RTU_MAX_READ)
		return -EINVAL;
	if (cap < 5u + 2u * count)
		return -ENOBUFS;
	out[0] = slave;
	out[1] = function;
	out[2] = (uint8_t)(2 * count);
	for (unsigned i = 0; i < count; i++)
		put16(out + 3 + 2 * i, regs[i]);
	return (int)put_crc(out, 3 + 2u * count);
}

int rtu_build_write_reply(uint8_t *out, size_t cap, const struct rtu_request *req)
{
	if (cap < 8)
		return -ENOBUFS;
	out[0] = req->slave;
	out[1] = req->function;
	put16(out + 2, req->address);
	if (req->function == RTU_FC_WRITE_SINGLE)
		put16(out + 4, req->values[0]);
	else if (req->function == RTU_FC_WRITE_MULTIPLE)
		put16(out + 4, req->count);
	else
		return -EINVAL;
	return (int)put_crc(out, 6);
}

int rtu_build_exception(uint8_t *out, size_t cap, uint8_t slave, uint8_t function, uint8_t code)
{
	if (cap < 5)
		return -ENOBUFS;
	out[0] = slave;
	out[1] = function | 0x80;
	out[2] = code;
	return (int)put_crc(out, 3);
}

int rtu_parse_reply(const uint8_t *frame, size_t len, const struct rtu_request *req,
		    uint16_t *regs, size_t max_regs, uint8_t *exception)
{
	if (len < 5 || len > RTU_MAX_FRAME || !rtu_crc_ok(frame, len))
		return -EBADMSG;
	if (frame[0] != req->slave)
		return -EBADMSG;
	if (frame[1] == (req->function | 0x80)) {
		if (len != 5)
			return -EBADMSG;
		if (exception)
			*exception = frame[2];
		return -EREMOTEIO;
	}
	if (frame[1] != req->function)
		return -EBADMSG;

	switch (req->function) {
	case RTU_FC_READ_HOLDING:
	case RTU_FC_READ_INPUT: {
		size_t n = frame[2] / 2u;
		if (frame[2] != 2 * req->count || len != 5u + frame[2] || n > max_regs)
			return -EBADMSG;
		for (size_t i = 0; i < n; i++)
			regs[i] = get16(frame + 3 + 2 * i);
		return (int)n;
	}
	case RTU_FC_WRITE_SINGLE:
	case RTU_FC_WRITE_MULTIPLE: {
		uint16_t echo = req->function == RTU_FC_WRITE_SINGLE ? req->values[0] : req->count;
		if (len != 8 || get16(frame + 2) != req->address || get16(frame + 4) != echo)
			return -EBADMSG;
		return 0;
	}
	default:
		return -EBADMSG;
	}
}

void rtu_describe(const uint8_t *frame, size_t len, int is_request, char *out, size_t cap)
{
	if (cap == 0)
		return;
	if (len < 4 || len > RTU_MAX_FRAME || !rtu_crc_ok(frame, len)) {
		snprintf(out, cap, "bad frame (%zu bytes)", len);
		return;
	}
	unsigned slave = frame[0], fc = frame[1];
	if (fc & 0x80) {
		snprintf(out, cap, "slave %u exception(%u) %02x", slave, fc & 0x7F, frame[2]);
		return;
	}
	if (is_request) {
		struct rtu_request req;
		int r = rtu_parse_request(frame, len, &req);
		if (r == -ENOTSUP)
			snprintf(out, cap, "slave %u function %u (%zu bytes)", slave, fc, len);
		else if (r < 0)
			snprintf(out, cap, "slave %u function %u malformed", slave, fc);
		else if (fc == RTU_FC_READ_HOLDING || fc == RTU_FC_READ_INPUT)
			snprintf(out, cap, "slave %u read(%u) 0x%04X x%u", slave, fc, req.address, req.count);
		else
			snprintf(out, cap, "slave %u write(%u) 0x%04X x%u", slave, fc, req.address, req.count);
		return;
	}
	if ((fc == RTU_FC_READ_HOLDING || fc == RTU_FC_READ_INPUT) && len == 5u + frame[2])
		snprintf(out, cap, "slave %u reply(%u) %u regs", slave, fc, frame[2] / 2u);
	else
		snprintf(out, cap, "slave %u reply(%u) %zu bytes", slave, fc, len);
}
