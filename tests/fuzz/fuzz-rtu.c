/* Modbus RTU codec under arbitrary bytes: the request parser (what the
 * simulator reads from the bus), the reply parser (what the poller reads
 * from the UPS) and the trace formatter.
 * fuzz-sources: src/device/rtu.c
 *
 * Random bytes rarely carry a valid CRC, so each input is tried twice:
 * as received, and with its last two bytes replaced by the right CRC, which
 * takes the fuzzer past the CRC check into the parsing proper. Parsed
 * requests must re-encode to the very same frame. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/rtu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const uint8_t *frame, size_t len)
{
	fprintf(stderr, "fuzz-rtu: %s; frame (%zu bytes):", what, len);
	for (size_t i = 0; i < len && i < 64; i++)
		fprintf(stderr, " %02x", frame[i]);
	fputc('\n', stderr);
	abort();
}

/* Rebuild a parsed request with the builders; 0 if not comparable. */
static int rebuild_request(const struct rtu_request *req, uint8_t *out, size_t cap)
{
	switch (req->function) {
	case RTU_FC_READ_HOLDING:
	case RTU_FC_READ_INPUT:
		return rtu_build_read_request(out, cap, req->slave, req->function,
					      req->address, req->count);
	case RTU_FC_WRITE_SINGLE:
		return rtu_build_write_request(out, cap, req->slave, req->address, req->values, 1);
	case RTU_FC_WRITE_MULTIPLE:
		/* The builder sends one register with function 6. */
		if (req->count == 1)
			return 0;
		return rtu_build_write_request(out, cap, req->slave, req->address,
					       req->values, req->count);
	default:
		return 0;
	}
}

static void check_request(const uint8_t *frame, size_t len)
{
	struct rtu_request req;
	uint8_t again[RTU_MAX_FRAME];
	char text[96];
	int r, n;

	r = rtu_request_size(frame, len);
	if (r != 0 && r != -ENOTSUP && r < 8)
		fail("request size out of range", frame, len);

	r = rtu_parse_request(frame, len, &req);
	if (r != 0 && r != -EBADMSG && r != -ENOTSUP && r != -ERANGE)
		fail("parse_request returned an undocumented error", frame, len);
	if (r == 0) {
		if (!rtu_crc_ok(frame, len))
			fail("request accepted with a bad CRC", frame, len);
		if (rtu_request_size(frame, len) != (int)len)
			fail("accepted request disagrees with request_size", frame, len);
		if (req.count < 1 || req.count > RTU_MAX_READ)
			fail("accepted request with a count out of range", frame, len);
		n = rebuild_request(&req, again, sizeof(again));
		if (n < 0)
			fail("builder refused a parsed request", frame, len);
		if (n > 0 && ((size_t)n != len || memcmp(again, frame, len) != 0))
			fail("parsed request does not re-encode to the same frame", frame, len);
	}

	/* Small buffers too: the formatter must truncate, not overflow. */
	rtu_describe(frame, len, 1, text, sizeof(text));
	if (!memchr(text, '\0', sizeof(text)))
		fail("describe left the text unterminated", frame, len);
	rtu_describe(frame, len, 0, text, 8);
	if (!memchr(text, '\0', 8))
		fail("describe overflowed a small buffer", frame, len);
}

/* The first 5 bytes choose the request a reply answers; the rest is the
 * reply. */
static void check_reply(const uint8_t *data, size_t size)
{
	static const uint8_t functions[] = {
		RTU_FC_READ_HOLDING, RTU_FC_READ_INPUT, RTU_FC_WRITE_SINGLE, RTU_FC_WRITE_MULTIPLE,
	};
	struct rtu_request req = { 0 };
	uint16_t regs[RTU_MAX_READ];
	uint8_t exception = 0;
	size_t max_regs;
	int r;

	if (size < 5)
		return;
	req.slave = data[0];
	req.function = functions[data[1] % 4];
	req.address = (uint16_t)(data[2] << 8 | data[3]);
	req.count = (uint16_t)(1 + data[4] % RTU_MAX_READ);
	req.values[0] = req.address;
	max_regs = 1 + data[4] % RTU_MAX_READ;

	r = rtu_parse_reply(data + 5, size - 5, &req, regs, max_regs, &exception);
	if (r > 0 && ((size_t)r > max_regs || r != req.count))
		fail("reply parser returned more registers than asked", data, size);
	if (r < 0 && r != -EBADMSG && r != -EREMOTEIO)
		fail("parse_reply returned an undocumented error", data, size);
}

static void check_all(const uint8_t *data, size_t size)
{
	check_request(data, size);
	check_reply(data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t fixed[RTU_MAX_FRAME + 8];
	uint16_t crc;

	check_all(data, size);

	if (size < 4 || size > sizeof(fixed))
		return 0;
	memcpy(fixed, data, size);
	/* Requests carry the CRC at the end of the whole input; replies at
	 * the end of the part after the 5 choice bytes: the same place. */
	crc = rtu_crc16(fixed, size - 2);
	fixed[size - 2] = crc & 0xFF;
	fixed[size - 1] = crc >> 8;
	check_request(fixed, size);
	if (size >= 9) {
		crc = rtu_crc16(fixed + 5, size - 7);
		fixed[size - 2] = crc & 0xFF;
		fixed[size - 1] = crc >> 8;
		check_reply(fixed, size);
	}
	return 0;
}
