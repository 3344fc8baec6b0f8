/* SNMP traps (manual §15.8 and the trap appendices): up to 8 receivers
 * from snmp.receivers, fired from the event bus, sent by the agent's
 * net-snmp engine (its engine ID, sysUpTime and view). Started after
 * snmp_start() only when the agent runs (snmp.enabled); receivers follow
 * every reload. Offers the manager action "snmp.test_trap" (arg: the
 * receiver number 1-8, or NULL for every receiver). */
#pragma once

#include "core/manager.h"

struct snmp_agent;
struct trap_sender;

int trap_start(struct trap_sender **out, struct manager *m, struct snmp_agent *agent);
void trap_stop(struct trap_sender *t);          /* accepts NULL */
