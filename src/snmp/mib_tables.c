/* The MIB modules the agent serves and the subtrees it registers.
 * Separate from mib.c so unit tests can link their own builders. */
#include "snmp/mib.h"

const struct mib_module mib_builders[] = {
	{ "system", mib_build_system },
	{ "rfc1628", mib_build_rfc1628 },
	{ "netvision", mib_build_netvision },
	{ "sts", mib_build_sts },
	{ NULL, NULL },
};

/* Each root is one net-snmp handler registration; every OID a builder
 * adds must lie below one of them (the unit tests check it). */
const struct mib_root mib_roots[] = {
	{ "system", { 1, 3, 6, 1, 2, 1, 1 }, 7 },
	{ "upsMIB", { 1, 3, 6, 1, 2, 1, 33 }, 7 },
	{ "netvision", { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 7 }, 10 },
	{ "netvision-legacy", { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 1 }, 10 },
	{ "sts", { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 10 }, 10 },
	{ NULL, { 0 }, 0 },
};
