/* RTU codec: CRC known vectors, request parsing (good, malformed,
 * capped), builders and reply checking. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/rtu.h"

static int failures;

#define CHECK(cond) do { \
	if (cond) { printf("ok - %s\n", #cond); } \
	else { printf("not ok - %s (%s:%d)\n", #cond, __FILE__, __LINE__); failures++; } \
} while (0)

static void test_crc(void)
{
	/* Modbus spec example: 01 03 00 00 00 0A -> CRC C5 CD on the wire */
	const uint8_t req[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A };
	uint16_t crc = rtu_crc16(req, sizeof(req));
	CHECK((crc & 0xFF) == 0xC5 && (crc >> 8) == 0xCD);

	/* Modbus over serial line guide: 02 07 -> 41 12 (low byte 0x41 first) */
	const uint8_t ex[] = { 0x02, 0x07 };
	crc = rtu_crc16(ex, sizeof(ex));
	CHECK((crc & 0xFF) == 0x41 && (crc >> 8) == 0x12);

	/* 01 03 00 01 00 01 -> D5 CA */
	const uint8_t r2[] = { 0x01, 0x03, 0x00, 0x01, 0x00, 0x01 };
	crc = rtu_crc16(r2, sizeof(r2));
	CHECK((crc & 0xFF) == 0xD5 && (crc >> 8) == 0xCA);

	CHECK(rtu_crc16(NULL, 0) == 0xFFFF);

	uint8_t frame[8] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD };
	CHECK(rtu_crc_ok(frame, 8));
	frame[7] ^= 1;
	CHECK(!rtu_crc_ok(frame, 8));
	CHECK(!rtu_crc_ok(frame, 3));
}

static void test_parse_read(void)
{
	uint8_t f[RTU_MAX_FRAME];
	struct rtu_request req;
	int n;

	n = rtu_build_read_request(f, sizeof(f), 1, RTU_FC_READ_HOLDING, 0x1000, 12);
	CHECK(n == 8);
	CHECK(rtu_request_size(f, 1) == 0);
	CHECK(rtu_request_size(f, 2) == 8);
	CHECK(rtu_parse_request(f, (size_t)n, &req) == 0);
	CHECK(req.slave == 1 && req.function == 3 && req.address == 0x1000 && req.count == 12);

	/* function 4 is parsed the same way */
	n = rtu_build_read_request(f, sizeof(f), 7, RTU_FC_READ_INPUT, 0x0040, 125);
	CHECK(rtu_parse_request(f, (size_t)n, &req) == 0 && req.count == 125 && req.slave == 7);

	/* count 0 and 126: capped, with slave/function known for exception 03 */
	const uint8_t zero[] = { 0x01, 0x03, 0x10, 0x00, 0x00, 0x00 };
	memcpy(f, zero, 6);
	uint16_t crc = rtu_crc16(f, 6);
	f[6] = crc & 0xFF;
	f[7] = crc >> 8;
	CHECK(rtu_parse_request(f, 8, &req) == -ERANGE && req.function == 3 && req.slave == 1);
	f[5] = 126;
	crc = rtu_crc16(f, 6);
	f[6] = crc & 0xFF;
	f[7] = crc >> 8;
	CHECK(rtu_parse_request(f, 8, &req) == -ERANGE);

	/* the builder refuses what the parser refuses */
	CHECK(rtu_build_read_request(f, sizeof(f), 1, 3, 0, 0) == -EINVAL);
	CHECK(rtu_build_read_request(f, sizeof(f), 1, 3, 0, 126) == -EINVAL);
	CHECK(rtu_build_read_request(f, 7, 1, 3, 0, 1) == -ENOBUFS);
	CHECK(rtu_build_read_request(f, sizeof(f), 1, 6, 0, 1) == -EINVAL);
}

static void test_parse_malformed(void)
{
	uint8_t f[RTU_MAX_FRAME + 8];
	struct rtu_request req;
	int n = rtu_build_read_request(f, sizeof(f), 1, 3, 0x1000, 4);

	/* bad CRC, truncated, too long, empty */
	f[n - 1] ^= 0xFF;
	CHECK(rtu_parse_request(f, (size_t)n, &req) == -EBADMSG);
	f[n - 1] ^= 0xFF;
	CHECK(rtu_parse_request(f, (size_t)n - 1, &req) == -EBADMSG);
	CHECK(rtu_parse_request(f, 0, &req) == -EBADMSG);
	CHECK(rtu_parse_request(f, RTU_MAX_FRAME + 1, &req) == -EBADMSG);

	/* a read with extra bytes but a valid CRC over them */
	uint8_t longer[10] = { 0x01, 0x03, 0x10, 0x00, 0x00, 0x04, 0xAA, 0xBB };
	uint16_t crc = rtu_crc16(longer, 8);
	longer[8] = crc & 0xFF;
	longer[9] = crc >> 8;
	CHECK(rtu_parse_request(longer, 10, &req) == -EBADMSG);

	/* unknown function: not supported, slave/function kept for exception 01 */
	uint8_t fc[4] = { 0x01, 0x2B };
	crc = rtu_crc16(fc, 2);
	fc[2] = crc & 0xFF;
	fc[3] = crc >> 8;
	CHECK(rtu_parse_request(fc, 4, &req) == -ENOTSUP && req.function == 0x2B);
	CHECK(rtu_request_size(fc, 4) == -ENOTSUP);
}

static void test_write(void)
{
	uint8_t f[RTU_MAX_FRAME];
	struct rtu_request req;
	uint16_t v[RTU_MAX_WRITE + 1];

	for (unsigned i = 0; i < RTU_MAX_WRITE + 1; i++)
		v[i] = (uint16_t)(0x0100 + i);
	int n = rtu_build_write_request(f, sizeof(f), 1, 0x15B0, v, 1);
	CHECK(n == 8 && f[1] == RTU_FC_WRITE_SINGLE);
	CHECK(rtu_parse_request(f, (size_t)n, &req) == 0 && req.count == 1 && req.values[0] == 0x0100);

	n = rtu_build_write_request(f, sizeof(f), 1, 0x00C9, v, 2);
	CHECK(n == 13 && f[1] == RTU_FC_WRITE_MULTIPLE);
	CHECK(rtu_request_size(f, 6) == 0);
	CHECK(rtu_request_size(f, 7) == 13);
	CHECK(rtu_parse_request(f, (size_t)n, &req) == 0 && req.count == 2 && req.values[1] == 0x0101);

	/* 123 registers fit, 124 do not */
	n = rtu_build_write_request(f, sizeof(f), 1, 0, v, RTU_MAX_WRITE);
	CHECK(n == 9 + 2 * RTU_MAX_WRITE);
	CHECK(rtu_parse_request(f, (size_t)n, &req) == 0 && req.count == RTU_MAX_WRITE);
	CHECK(rtu_build_write_request(f, sizeof(f), 1, 0, v, RTU_MAX_WRITE + 1) == -EINVAL);

	/* byte count disagreeing with the register count */
	n = rtu_build_write_request(f, sizeof(f), 1, 0x00C9, v, 2);
	f[5] = 3;                   /* count 3, byte count 4 */
	uint16_t crc = rtu_crc16(f, (size_t)n - 2);
	f[n - 2] = crc & 0xFF;
	f[n - 1] = crc >> 8;
	CHECK(rtu_parse_request(f, (size_t)n, &req) == -ERANGE);
	/* byte count disagreeing with the frame length */
	n = rtu_build_write_request(f, sizeof(f), 1, 0x00C9, v, 2);
	f[6] = 6;
	crc = rtu_crc16(f, (size_t)n - 2);
	f[n - 2] = crc & 0xFF;
	f[n - 1] = crc >> 8;
	CHECK(rtu_parse_request(f, (size_t)n, &req) == -EBADMSG);
}

static void test_replies(void)
{
	uint8_t f[RTU_MAX_FRAME], r[RTU_MAX_FRAME];
	uint16_t regs[RTU_MAX_READ], out[RTU_MAX_READ];
	struct rtu_request req;
	uint8_t ex = 0;

	for (unsigned i = 0; i < RTU_MAX_READ; i++)
		regs[i] = (uint16_t)(i * 257);
	int n = rtu_build_read_request(f, sizeof(f), 1, 3, 0x1060, 48);
	CHECK(rtu_parse_request(f, (size_t)n, &req) == 0);
	int m = rtu_build_read_reply(r, sizeof(r), 1, 3, regs, 48);
	CHECK(m == 5 + 96);
	CHECK(rtu_parse_reply(r, (size_t)m, &req, out, RTU_MAX_READ, &ex) == 48);
	CHECK(memcmp(out, regs, 48 * sizeof(uint16_t)) == 0);
	/* too small a destination, a wrong slave, a reply of the wrong size */
	CHECK(rtu_parse_reply(r, (size_t)m, &req, out, 47, &ex) == -EBADMSG);
	req.slave = 2;
	CHECK(rtu_parse_reply(r, (size_t)m, &req, out, RTU_MAX_READ, &ex) == -EBADMSG);
	req.slave = 1;
	req.count = 47;
	CHECK(rtu_parse_reply(r, (size_t)m, &req, out, RTU_MAX_READ, &ex) == -EBADMSG);
	req.count = 48;

	/* the largest read reply fits a frame; one more register does not */
	m = rtu_build_read_reply(r, sizeof(r), 1, 3, regs, RTU_MAX_READ);
	CHECK(m == 255);
	CHECK(rtu_build_read_reply(r, sizeof(r), 1, 3, regs, RTU_MAX_READ + 1) == -EINVAL);
	CHECK(rtu_build_read_reply(r, 100, 1, 3, regs, 48) == -ENOBUFS);

	m = rtu_build_exception(r, sizeof(r), 1, 3, RTU_EX_ILLEGAL_ADDRESS);
	CHECK(m == 5 && r[1] == 0x83 && r[2] == 2);
	CHECK(rtu_parse_reply(r, (size_t)m, &req, out, RTU_MAX_READ, &ex) == -EREMOTEIO && ex == 2);

	uint16_t v = 0x0003;
	n = rtu_build_write_request(f, sizeof(f), 1, 0x15B0, &v, 1);
	CHECK(rtu_parse_request(f, (size_t)n, &req) == 0);
	m = rtu_build_write_reply(r, sizeof(r), &req);
	CHECK(m == 8 && memcmp(r, f, 8) == 0);      /* function 6 echoes the request */
	CHECK(rtu_parse_reply(r, (size_t)m, &req, out, RTU_MAX_READ, &ex) == 0);

	char text[80];
	rtu_describe(f, (size_t)n, 1, text, sizeof(text));
	CHECK(strcmp(text, "slave 1 write(6) 0x15B0 x1") == 0);
	n = rtu_build_read_request(f, sizeof(f), 1, 3, 0x1000, 12);
	rtu_describe(f, (size_t)n, 1, text, sizeof(text));
	CHECK(strcmp(text, "slave 1 read(3) 0x1000 x12") == 0);
	rtu_describe(f, 3, 1, text, sizeof(text));
	CHECK(strcmp(text, "bad frame (3 bytes)") == 0);
}

int main(void)
{
	test_crc();
	test_parse_read();
	test_parse_malformed();
	test_write();
	test_replies();
	if (failures) {
		fprintf(stderr, "test-rtu: %d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}
