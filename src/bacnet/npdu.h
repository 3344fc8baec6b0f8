/* The BACnet network layer header (ASHRAE 135 clause 6.2). This device
 * is not a router: it serves APDUs addressed to its own network or to
 * all networks, answers through the router a request came from, and
 * turns away network layer messages (npdu_network_reply). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bacnet/codec.h"

#define NPDU_VERSION 1
#define NPDU_ADR_MAX 8                  /* the longest MAC address (LonTalk 7) fits */
#define NPDU_NET_GLOBAL 0xffff
#define NPDU_HEADER_MAX (2 + 3 + NPDU_ADR_MAX + 3 + NPDU_ADR_MAX + 1)

/* A remote network address: DNET/DADR or SNET/SADR. len 0 = broadcast
 * on [net] (destinations only). */
struct npdu_route {
	bool present;
	uint16_t net;
	uint8_t len;
	uint8_t adr[NPDU_ADR_MAX];
};

struct npdu {
	bool network_msg;               /* a network layer message, not an APDU */
	uint8_t msg_type;               /* network_msg: its type */
	bool expecting_reply;
	uint8_t priority;
	struct npdu_route dest, src;
	uint8_t hop_count;
	const uint8_t *body;            /* the APDU, or the message's parameters */
	size_t body_len;
};

int npdu_decode(const uint8_t *p, size_t len, struct npdu *n);
/* The APDU is for this device: no DNET, or DNET is every network. */
bool npdu_for_us(const struct npdu *n);
/* The header of an APDU for [dest] (NULL or !present: this network). */
void npdu_encode(struct bac_buf *b, const struct npdu_route *dest, bool expecting_reply);
/* Appends the answer owed to a network layer message and returns true,
 * or false if none is owed: router messages are left to routers; a
 * message of unknown type sent to this device alone gets
 * Reject-Message-To-Network, reason 3. */
bool npdu_network_reply(const struct npdu *in, bool broadcast, struct bac_buf *b);
