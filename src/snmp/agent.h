/* The SNMP agent: net-snmp embedded in the main loop (its sockets and
 * timers are sd-event sources; every net-snmp call stays on the main
 * thread), v1/v2c communities and the v3 USM users of the settings,
 * applied on reload, persistent state (engine ID, engineBoots) under
 * <state_dir>/snmp, and the trap sender (trap.h). */
#pragma once

#include "auth/firewall.h"
#include "core/manager.h"
#include "store/store.h"

/* What SET handlers (mib_set.apply) may act on. */
struct snmp_ctx {
	struct manager *m;
	struct store *store;
	/* Who sends the SET being processed, for the gateway event log:
	 * "community from 192.0.2.7" or "v3 user bob from 192.0.2.7". */
	char who[96];
};

struct snmp_agent;

/* Fails (logged, everything it set up undone) when net-snmp cannot start
 * or the IPv4 port cannot be opened: the daemon runs on without SNMP. */
int snmp_start(struct snmp_agent **out, struct manager *m, struct store *store,
	       struct firewall *fw);
/* After trap_stop(): the trap sessions must be closed while net-snmp
 * still exists. Accepts NULL. */
void snmp_stop(struct snmp_agent *a);

/* How the error of a mib_set check or apply becomes an SNMP error status
 * (and the "why" is logged with the SET): -EINVAL, -ERANGE wrongValue;
 * -EMSGSIZE wrongLength; -EBUSY, -EEXIST inconsistentValue; -EACCES,
 * -EPERM noAccess; -ENOSPC, -ENOMEM, -EAGAIN resourceUnavailable;
 * -ENOTSUP, -EOPNOTSUPP (the UPS or the gateway cannot do it) and
 * anything else commitFailed. SNMPv1 managers see these folded into
 * badValue / noSuchName / genErr by net-snmp (RFC 3584 §4.4). */
int snmp_set_status(int err);
