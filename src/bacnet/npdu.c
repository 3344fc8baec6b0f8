#include "bacnet/npdu.h"

#include <errno.h>
#include <string.h>

#define CTL_NETWORK_MSG 0x80
#define CTL_DNET 0x20
#define CTL_SNET 0x08
#define CTL_EXPECTING_REPLY 0x04
#define CTL_RESERVED 0x50
#define MSG_REJECT_TO_NETWORK 0x03
#define MSG_LAST_STANDARD 0x13          /* Network-Number-Is */
#define MSG_PROPRIETARY 0x80
#define REJECT_UNKNOWN_MESSAGE 3

static int read_route(const uint8_t *p, size_t len, size_t *pos, struct npdu_route *r, bool is_source)
{
	if (len - *pos < 3)
		return -EBADMSG;
	r->present = true;
	r->net = (uint16_t)(p[*pos] << 8 | p[*pos + 1]);
	r->len = p[*pos + 2];
	*pos += 3;
	/* A source is one device on a real network: no broadcast, no 0xFFFF. */
	if (r->len > NPDU_ADR_MAX || (is_source && (r->len == 0 || r->net == NPDU_NET_GLOBAL)))
		return -EBADMSG;
	if (r->net == 0 || len - *pos < r->len)
		return -EBADMSG;
	memcpy(r->adr, p + *pos, r->len);
	*pos += r->len;
	return 0;
}

int npdu_decode(const uint8_t *p, size_t len, struct npdu *n)
{
	size_t pos = 2;
	uint8_t ctl;

	memset(n, 0, sizeof(*n));
	if (len < 2 || p[0] != NPDU_VERSION)
		return -EBADMSG;
	ctl = p[1];
	if (ctl & CTL_RESERVED)
		return -EBADMSG;
	n->network_msg = ctl & CTL_NETWORK_MSG;
	n->expecting_reply = ctl & CTL_EXPECTING_REPLY;
	n->priority = ctl & 0x03;
	if ((ctl & CTL_DNET) && read_route(p, len, &pos, &n->dest, false) < 0)
		return -EBADMSG;
	if ((ctl & CTL_SNET) && read_route(p, len, &pos, &n->src, true) < 0)
		return -EBADMSG;
	if (ctl & CTL_DNET) {
		if (pos >= len)
			return -EBADMSG;
		n->hop_count = p[pos++];
	}
	if (n->network_msg) {
		if (pos >= len)
			return -EBADMSG;
		n->msg_type = p[pos++];
		if (n->msg_type >= MSG_PROPRIETARY) {
			if (len - pos < 2)
				return -EBADMSG;
			pos += 2;       /* vendor identifier */
		}
	} else if (pos >= len) {
		return -EBADMSG;        /* an APDU has at least its type octet */
	}
	n->body = p + pos;
	n->body_len = len - pos;
	return 0;
}

bool npdu_for_us(const struct npdu *n)
{
	return !n->dest.present || n->dest.net == NPDU_NET_GLOBAL;
}

static void put_net(struct bac_buf *b, uint16_t net)
{
	bac_put_u8(b, (uint8_t)(net >> 8));
	bac_put_u8(b, (uint8_t)net);
}

void npdu_encode(struct bac_buf *b, const struct npdu_route *dest, bool expecting_reply)
{
	bool routed = dest && dest->present;

	bac_put_u8(b, NPDU_VERSION);
	bac_put_u8(b, (uint8_t)((routed ? CTL_DNET : 0) | (expecting_reply ? CTL_EXPECTING_REPLY : 0)));
	if (!routed)
		return;
	put_net(b, dest->net);
	bac_put_u8(b, dest->len);
	bac_put(b, dest->adr, dest->len);
	bac_put_u8(b, 255);             /* hop count */
}

bool npdu_network_reply(const struct npdu *in, bool broadcast, struct bac_buf *b)
{
	size_t start = b->len;

	/* DNET (0xFFFF here: npdu_for_us) makes it a broadcast too. */
	if (!in->network_msg || broadcast || in->dest.present || in->msg_type <= MSG_LAST_STANDARD)
		return false;
	npdu_encode(b, in->src.present ? &in->src : NULL, false);
	if (b->overflow)
		return false;
	b->data[start + 1] |= CTL_NETWORK_MSG;
	bac_put_u8(b, MSG_REJECT_TO_NETWORK);
	bac_put_u8(b, REJECT_UNKNOWN_MESSAGE);
	put_net(b, in->dest.present ? in->dest.net : 0);
	return !b->overflow;
}
