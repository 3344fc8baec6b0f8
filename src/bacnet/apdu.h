/* BACnet application layer headers (ASHRAE 135 clause 20.1): the PDU
 * types, the invoke id and max APDU of confirmed requests, and the
 * replies that carry no service data (Simple-ACK, Error, Reject, Abort).
 * This device does not segment: a segmented request is aborted. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bacnet/codec.h"

#define BAC_APDU_MAX 1476               /* what BACnet/IP carries; Max_APDU_Length_Accepted */
#define BAC_APDU_MIN 50

enum bac_pdu_type {
	BAC_PDU_CONFIRMED = 0,
	BAC_PDU_UNCONFIRMED = 1,
	BAC_PDU_SIMPLE_ACK = 2,
	BAC_PDU_COMPLEX_ACK = 3,
	BAC_PDU_SEGMENT_ACK = 4,
	BAC_PDU_ERROR = 5,
	BAC_PDU_REJECT = 6,
	BAC_PDU_ABORT = 7,
};

enum bac_reject_reason {
	BAC_REJECT_OTHER = 0,
	BAC_REJECT_INVALID_PARAMETER_DATA_TYPE = 3,
	BAC_REJECT_INVALID_TAG = 4,
	BAC_REJECT_MISSING_REQUIRED_PARAMETER = 5,
	BAC_REJECT_PARAMETER_OUT_OF_RANGE = 6,
	BAC_REJECT_TOO_MANY_ARGUMENTS = 7,
	BAC_REJECT_UNRECOGNIZED_SERVICE = 9,
};

enum bac_abort_reason {
	BAC_ABORT_OTHER = 0,
	BAC_ABORT_SEGMENTATION_NOT_SUPPORTED = 4,
};

struct apdu {
	uint8_t type;
	bool segmented;                 /* confirmed / complex ACK: SEG bit */
	uint16_t max_apdu;              /* confirmed: the largest reply the client takes */
	uint8_t invoke_id;
	uint8_t service;                /* service choice; reject/abort: reason */
	bool server;                    /* abort: sent by the server side */
	const uint8_t *params;          /* service parameters */
	size_t params_len;
};

/* -EBADMSG if the header is truncated or of an unknown type. */
int apdu_decode(const uint8_t *p, size_t len, struct apdu *a);
uint16_t apdu_max_from_code(unsigned code);

void apdu_confirmed_header(struct bac_buf *b, uint8_t invoke_id, uint8_t service);
void apdu_unconfirmed_header(struct bac_buf *b, uint8_t service);
void apdu_complex_ack_header(struct bac_buf *b, uint8_t invoke_id, uint8_t service);
void apdu_simple_ack(struct bac_buf *b, uint8_t invoke_id, uint8_t service);
void apdu_error(struct bac_buf *b, uint8_t invoke_id, uint8_t service, uint32_t cls, uint32_t code);
void apdu_reject(struct bac_buf *b, uint8_t invoke_id, uint8_t reason);
void apdu_abort(struct bac_buf *b, uint8_t invoke_id, uint8_t reason);
