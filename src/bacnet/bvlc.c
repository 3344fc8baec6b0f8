#include "bacnet/bvlc.h"

#include <errno.h>
#include <string.h>

/* One host: not "this network", multicast, reserved or broadcast. */
static bool is_host(const uint8_t a[4])
{
	return a[0] != 0 && a[0] < 224;
}

int bvlc_decode(const uint8_t *p, size_t len, struct bvlc_msg *m)
{
	size_t body = BVLC_HEADER_LEN;

	memset(m, 0, sizeof(*m));
	if (len < BVLC_HEADER_LEN || len > BVLC_MESSAGE_MAX || p[0] != BVLC_TYPE_BIP)
		return -EBADMSG;
	if (((size_t)p[2] << 8 | p[3]) != len)
		return -EBADMSG;
	m->function = p[1];
	switch (m->function) {
	case BVLC_RESULT:
		if (len != 6)
			return -EBADMSG;
		m->result = (uint16_t)(p[4] << 8 | p[5]);
		return 0;
	case BVLC_FORWARDED_NPDU:
		/* Its answers go to the origin: never to many at once. */
		if (len < body + 6 || !is_host(p + 4))
			return -EBADMSG;
		m->forwarded = true;
		m->broadcast = true;
		m->origin.sin_family = AF_INET;
		memcpy(&m->origin.sin_addr, p + 4, 4);
		memcpy(&m->origin.sin_port, p + 8, 2);
		body += 6;
		break;
	case BVLC_ORIGINAL_BROADCAST:
		m->broadcast = true;
		break;
	case BVLC_ORIGINAL_UNICAST:
		break;
	default:
		return 0;               /* no NPDU for this device in it */
	}
	if (len == body)
		return -EBADMSG;
	m->npdu = p + body;
	m->npdu_len = len - body;
	return 0;
}

uint16_t bvlc_nak_for(uint8_t function)
{
	switch (function) {
	case BVLC_WRITE_BDT: return 0x0010;
	case BVLC_READ_BDT: return 0x0020;
	case BVLC_REGISTER_FOREIGN_DEVICE: return BVLC_RESULT_REGISTER_NAK;
	case BVLC_READ_FDT: return 0x0040;
	case BVLC_DELETE_FDT_ENTRY: return 0x0050;
	case BVLC_DISTRIBUTE_BROADCAST: return 0x0060;
	default: return 0;
	}
}

void bvlc_header(uint8_t out[BVLC_HEADER_LEN], uint8_t function, size_t total)
{
	out[0] = BVLC_TYPE_BIP;
	out[1] = function;
	out[2] = (uint8_t)(total >> 8);
	out[3] = (uint8_t)total;
}

void bvlc_encode_result(struct bac_buf *b, uint16_t code)
{
	uint8_t h[BVLC_HEADER_LEN];

	bvlc_header(h, BVLC_RESULT, 6);
	bac_put(b, h, sizeof(h));
	bac_put_u8(b, (uint8_t)(code >> 8));
	bac_put_u8(b, (uint8_t)code);
}

void bvlc_encode_register(struct bac_buf *b, uint16_t ttl_s)
{
	uint8_t h[BVLC_HEADER_LEN];

	bvlc_header(h, BVLC_REGISTER_FOREIGN_DEVICE, 6);
	bac_put(b, h, sizeof(h));
	bac_put_u8(b, (uint8_t)(ttl_s >> 8));
	bac_put_u8(b, (uint8_t)ttl_s);
}
