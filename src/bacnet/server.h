/* The BACnet/IP server: one UDP socket on bacnet.port (all IPv4
 * addresses; BACnet/IP is IPv4) in the main loop. It applies the
 * firewall to every datagram, unwraps BVLC and NPDU, hands APDUs to the
 * services, follows the snapshots for COV, and announces itself with a
 * broadcast I-Am at start. */
#pragma once

#include "auth/firewall.h"
#include "core/manager.h"

struct bacnet_server;

/* [fw] may be NULL (no filtering), for tests. */
int bacnet_start(struct bacnet_server **out, struct manager *m, const struct firewall *fw);
void bacnet_stop(struct bacnet_server *b);     /* accepts NULL */
