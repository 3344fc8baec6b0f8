/* net-snmp's side of the trap sender: one session per receiver, PDUs in
 * the v1 and v2 forms, v3 as the agent's engine (traps) or with the
 * receiver's discovered engine ID (informs). Main thread only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/settings.h"
#include "snmp/trap_priv.h"

#define TRAP_PEER_MAX 80                /* "udp6:[2001:db8::1]:65535" */
#define TRAP_QUEUE_MAX 16               /* informs waiting for the v3 discovery */

struct snmp_session;
struct snmp_pdu;

struct trap_target {
	struct trap_receiver cfg;
	char peer[TRAP_PEER_MAX];       /* resolved transport address; "" = not yet */
	struct snmp_session *ss;        /* NULL: not open */
	bool discovering;               /* v3 inform: engine ID discovery under way */
	bool discovered;
	bool closing;                   /* inside trap_net_close() */
	struct snmp_pdu *queue[TRAP_QUEUE_MAX];
	size_t n_queue;
	unsigned long sent, acked, lost;
};

/* Opens [tg]'s session to tg->peer. v3 takes tg->cfg.user's keys from
 * snmp.users of [s]. */
int trap_net_open(struct trap_target *tg, const struct settings *s);
void trap_net_close(struct trap_target *tg);            /* idempotent */
/* The socket of [tg]'s session, or -1. */
int trap_net_fd(const struct trap_target *tg);
/* Sends [def] with [vb] (after sysUpTime.0 and snmpTrapOID.0 in v2). */
int trap_net_send(struct trap_target *tg, const struct trap_def *def,
		  const struct trap_varbind *vb, size_t n_vb, uint64_t uptime_cs);
