/* Modbus TCP requests -> responses: pure, bounded functions over bytes
 * and the latest snapshot (no I/O, no state, no allocation), so a hostile
 * peer can at worst get an exception or have its own connection closed.
 * What is served, and why each exception: docs/modbus-tcp.md. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "device/decode.h"
#include "device/model.h"

#define MBTCP_MBAP_HEADER 7     /* transaction, protocol, length, unit id */
#define MBTCP_ADU_MAX 260       /* 7 + the 253-byte PDU of the standard */
#define MBTCP_MAX_REGS 125      /* per read: 250 data bytes */

enum mbtcp_exception {
	MBTCP_EX_ILLEGAL_FUNCTION = 0x01,
	MBTCP_EX_ILLEGAL_ADDRESS = 0x02,
	MBTCP_EX_ILLEGAL_VALUE = 0x03,
	MBTCP_EX_GATEWAY_PATH = 0x0A,       /* a unit id that is not the UPS */
	MBTCP_EX_GATEWAY_TARGET = 0x0B,     /* no snapshot, or comm with the UPS lost */
};

/* What a request is answered from. */
struct mbtcp_source {
	const struct snapshot *snap;        /* latest; NULL before the first */
	struct addressing addr;             /* where units and modules sit */
	uint8_t slave;                      /* serial slave of the raw blocks */
};

/* Length of the ADU that starts [buf]: 0 while more bytes are needed,
 * -EBADMSG if the MBAP header is malformed (protocol id not 0, length
 * field below 2 or above 254): the connection is then closed. */
int mbtcp_frame_len(const uint8_t *buf, size_t len);

/* Answers one whole ADU (as long as mbtcp_frame_len() said) into
 * [resp] (cap >= MBTCP_ADU_MAX). Returns the response length, -EBADMSG if
 * [adu] is not one well-framed ADU, -ENOBUFS if cap is too small.
 * Every well-framed request gets a response: data or an exception. */
int mbtcp_reply(const struct mbtcp_source *src, const uint8_t *adu, size_t len,
		uint8_t *resp, size_t cap);
