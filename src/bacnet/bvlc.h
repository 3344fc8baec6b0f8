/* BACnet Virtual Link Control for BACnet/IP (ASHRAE 135 Annex J): the
 * four-octet header in front of every NPDU on UDP. This device is not a
 * BBMD: it answers the BBMD functions with the matching NAK, takes
 * Forwarded-NPDUs from one, and may register with one as a foreign
 * device (src/bacnet/fdreg.c). */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bacnet/codec.h"

#define BVLC_TYPE_BIP 0x81
#define BVLC_HEADER_LEN 4
/* The largest BVLC message: header, Forwarded-NPDU address, an NPDU
 * header with both routes, and a 1476-octet APDU. */
#define BVLC_MESSAGE_MAX 1536

enum bvlc_function {
	BVLC_RESULT = 0x00,
	BVLC_WRITE_BDT = 0x01,
	BVLC_READ_BDT = 0x02,
	BVLC_READ_BDT_ACK = 0x03,
	BVLC_FORWARDED_NPDU = 0x04,
	BVLC_REGISTER_FOREIGN_DEVICE = 0x05,
	BVLC_READ_FDT = 0x06,
	BVLC_READ_FDT_ACK = 0x07,
	BVLC_DELETE_FDT_ENTRY = 0x08,
	BVLC_DISTRIBUTE_BROADCAST = 0x09,
	BVLC_ORIGINAL_UNICAST = 0x0a,
	BVLC_ORIGINAL_BROADCAST = 0x0b,
	BVLC_SECURE_BVLL = 0x0c,
};

#define BVLC_RESULT_SUCCESS 0x0000
#define BVLC_RESULT_REGISTER_NAK 0x0030

struct bvlc_msg {
	uint8_t function;
	bool broadcast;                 /* the NPDU was sent to every device */
	bool forwarded;                 /* origin holds the original source */
	struct sockaddr_in origin;
	uint16_t result;                /* BVLC_RESULT: the result code */
	const uint8_t *npdu;            /* NULL when the message carries none */
	size_t npdu_len;
};

/* -EBADMSG if not a well-formed BACnet/IP message of exactly [len]. */
int bvlc_decode(const uint8_t *p, size_t len, struct bvlc_msg *m);
/* The BVLC-Result NAK code owed for a BBMD-only function; 0 if none. */
uint16_t bvlc_nak_for(uint8_t function);
/* The four header octets for a message of [total] octets. */
void bvlc_header(uint8_t out[BVLC_HEADER_LEN], uint8_t function, size_t total);
void bvlc_encode_result(struct bac_buf *b, uint16_t code);
void bvlc_encode_register(struct bac_buf *b, uint16_t ttl_s);
