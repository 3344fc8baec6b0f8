#include "bacnet/apdu.h"

#include <errno.h>
#include <string.h>

#define SEG_BIT 0x08
#define SRV_BIT 0x01
#define MAX_APDU_CODE_1476 5

int apdu_decode(const uint8_t *p, size_t len, struct apdu *a)
{
	size_t h;

	memset(a, 0, sizeof(*a));
	if (len < 1)
		return -EBADMSG;
	a->type = p[0] >> 4;
	switch (a->type) {
	case BAC_PDU_CONFIRMED:
		a->segmented = p[0] & SEG_BIT;
		h = a->segmented ? 6 : 4;
		if (len < h)
			return -EBADMSG;
		a->max_apdu = apdu_max_from_code(p[1] & 0x0f);
		a->invoke_id = p[2];
		a->service = p[h - 1];
		break;
	case BAC_PDU_UNCONFIRMED:
		h = 2;
		if (len < h)
			return -EBADMSG;
		a->service = p[1];
		break;
	case BAC_PDU_COMPLEX_ACK:
		a->segmented = p[0] & SEG_BIT;
		h = a->segmented ? 5 : 3;
		if (len < h)
			return -EBADMSG;
		a->invoke_id = p[1];
		a->service = p[h - 1];
		break;
	case BAC_PDU_SIMPLE_ACK:
	case BAC_PDU_ERROR:
	case BAC_PDU_REJECT:
	case BAC_PDU_ABORT:
		h = 3;
		if (len < h)
			return -EBADMSG;
		a->invoke_id = p[1];
		a->service = p[2];
		a->server = p[0] & SRV_BIT;
		break;
	case BAC_PDU_SEGMENT_ACK:
		h = 4;
		if (len < h)
			return -EBADMSG;
		a->invoke_id = p[1];
		a->server = p[0] & SRV_BIT;
		break;
	default:
		return -EBADMSG;
	}
	a->params = p + h;
	a->params_len = len - h;
	return 0;
}

/* Codes 6 to 15 are reserved: a client sending one gets the smallest. */
uint16_t apdu_max_from_code(unsigned code)
{
	static const uint16_t sizes[] = { 50, 128, 206, 480, 1024, 1476 };

	return code < sizeof(sizes) / sizeof(sizes[0]) ? sizes[code] : BAC_APDU_MIN;
}

void apdu_confirmed_header(struct bac_buf *b, uint8_t invoke_id, uint8_t service)
{
	uint8_t h[4] = { BAC_PDU_CONFIRMED << 4, MAX_APDU_CODE_1476, invoke_id, service };

	bac_put(b, h, sizeof(h));
}

void apdu_unconfirmed_header(struct bac_buf *b, uint8_t service)
{
	uint8_t h[2] = { BAC_PDU_UNCONFIRMED << 4, service };

	bac_put(b, h, sizeof(h));
}

void apdu_complex_ack_header(struct bac_buf *b, uint8_t invoke_id, uint8_t service)
{
	uint8_t h[3] = { BAC_PDU_COMPLEX_ACK << 4, invoke_id, service };

	bac_put(b, h, sizeof(h));
}

void apdu_simple_ack(struct bac_buf *b, uint8_t invoke_id, uint8_t service)
{
	uint8_t h[3] = { BAC_PDU_SIMPLE_ACK << 4, invoke_id, service };

	bac_put(b, h, sizeof(h));
}

void apdu_error(struct bac_buf *b, uint8_t invoke_id, uint8_t service, uint32_t cls, uint32_t code)
{
	uint8_t h[3] = { BAC_PDU_ERROR << 4, invoke_id, service };

	bac_put(b, h, sizeof(h));
	bac_enc_enum(b, cls);
	bac_enc_enum(b, code);
}

void apdu_reject(struct bac_buf *b, uint8_t invoke_id, uint8_t reason)
{
	uint8_t h[3] = { BAC_PDU_REJECT << 4, invoke_id, reason };

	bac_put(b, h, sizeof(h));
}

void apdu_abort(struct bac_buf *b, uint8_t invoke_id, uint8_t reason)
{
	uint8_t h[3] = { BAC_PDU_ABORT << 4 | SRV_BIT, invoke_id, reason };

	bac_put(b, h, sizeof(h));
}
