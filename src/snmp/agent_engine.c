/* The SNMP framework objects net-snmp counts but only serves through its
 * own MIB modules, which we do not load: snmpEngine (SNMP-FRAMEWORK-MIB:
 * engine ID, engineBoots, engineTime, max message size), snmpMPDStats,
 * usmStats (SNMP-USER-BASED-SM-MIB) and the snmp group of SNMPv2-MIB.
 * Read-only; values straight from net-snmp at each request. */
#include "snmp/agent_priv.h"

#include <errno.h>
#include <string.h>

#include "common/log.h"

enum engine_kind {
	EK_STAT,                /* Counter32 net-snmp statistic [arg] */
	EK_ENGINE_ID,
	EK_ENGINE_BOOTS,
	EK_ENGINE_TIME,
	EK_MAX_MSG,
	EK_AUTHEN_TRAPS,        /* snmpEnableAuthenTraps: disabled(2) */
};

struct engine_obj {
	oid id[12];
	size_t len;
	enum engine_kind kind;
	int arg;
};

#define SNMP_GRP(n, stat) { { 1, 3, 6, 1, 2, 1, 11, n, 0 }, 9, EK_STAT, stat }
#define ENGINE(n, kind) { { 1, 3, 6, 1, 6, 3, 10, 2, 1, n, 0 }, 11, kind, 0 }
#define MPD(n, stat) { { 1, 3, 6, 1, 6, 3, 11, 2, 1, n, 0 }, 11, EK_STAT, stat }
#define USM(n, stat) { { 1, 3, 6, 1, 6, 3, 15, 1, 1, n, 0 }, 11, EK_STAT, stat }

/* In OID order (GETNEXT walks it). */
static const struct engine_obj engine_objs[] = {
	SNMP_GRP(1, STAT_SNMPINPKTS), SNMP_GRP(2, STAT_SNMPOUTPKTS),
	SNMP_GRP(3, STAT_SNMPINBADVERSIONS), SNMP_GRP(4, STAT_SNMPINBADCOMMUNITYNAMES),
	SNMP_GRP(5, STAT_SNMPINBADCOMMUNITYUSES), SNMP_GRP(6, STAT_SNMPINASNPARSEERRS),
	SNMP_GRP(8, STAT_SNMPINTOOBIGS), SNMP_GRP(9, STAT_SNMPINNOSUCHNAMES),
	SNMP_GRP(10, STAT_SNMPINBADVALUES), SNMP_GRP(11, STAT_SNMPINREADONLYS),
	SNMP_GRP(12, STAT_SNMPINGENERRS), SNMP_GRP(13, STAT_SNMPINTOTALREQVARS),
	SNMP_GRP(14, STAT_SNMPINTOTALSETVARS), SNMP_GRP(15, STAT_SNMPINGETREQUESTS),
	SNMP_GRP(16, STAT_SNMPINGETNEXTS), SNMP_GRP(17, STAT_SNMPINSETREQUESTS),
	SNMP_GRP(18, STAT_SNMPINGETRESPONSES), SNMP_GRP(19, STAT_SNMPINTRAPS),
	SNMP_GRP(20, STAT_SNMPOUTTOOBIGS), SNMP_GRP(21, STAT_SNMPOUTNOSUCHNAMES),
	SNMP_GRP(22, STAT_SNMPOUTBADVALUES), SNMP_GRP(24, STAT_SNMPOUTGENERRS),
	SNMP_GRP(25, STAT_SNMPOUTGETREQUESTS), SNMP_GRP(26, STAT_SNMPOUTGETNEXTS),
	SNMP_GRP(27, STAT_SNMPOUTSETREQUESTS), SNMP_GRP(28, STAT_SNMPOUTGETRESPONSES),
	SNMP_GRP(29, STAT_SNMPOUTTRAPS),
	{ { 1, 3, 6, 1, 2, 1, 11, 30, 0 }, 9, EK_AUTHEN_TRAPS, 0 },
	SNMP_GRP(31, STAT_SNMPSILENTDROPS), SNMP_GRP(32, STAT_SNMPPROXYDROPS),
	ENGINE(1, EK_ENGINE_ID), ENGINE(2, EK_ENGINE_BOOTS), ENGINE(3, EK_ENGINE_TIME),
	ENGINE(4, EK_MAX_MSG),
	MPD(1, STAT_SNMPUNKNOWNSECURITYMODELS), MPD(2, STAT_SNMPINVALIDMSGS),
	MPD(3, STAT_SNMPUNKNOWNPDUHANDLERS),
	USM(1, STAT_USMSTATSUNSUPPORTEDSECLEVELS), USM(2, STAT_USMSTATSNOTINTIMEWINDOWS),
	USM(3, STAT_USMSTATSUNKNOWNUSERNAMES), USM(4, STAT_USMSTATSUNKNOWNENGINEIDS),
	USM(5, STAT_USMSTATSWRONGDIGESTS), USM(6, STAT_USMSTATSDECRYPTIONERRORS),
};

static const struct { const char *name; oid id[10]; size_t len; } engine_roots[] = {
	{ "snmp", { 1, 3, 6, 1, 2, 1, 11 }, 7 },
	{ "snmpEngine", { 1, 3, 6, 1, 6, 3, 10, 2, 1 }, 9 },
	{ "snmpMPDStats", { 1, 3, 6, 1, 6, 3, 11, 2, 1 }, 9 },
	{ "usmStats", { 1, 3, 6, 1, 6, 3, 15, 1, 1 }, 9 },
};

static void engine_value(const struct engine_obj *o, netsnmp_variable_list *vb)
{
	u_char engine_id[USM_MAX_ID_LENGTH];
	size_t n;
	u_long u;
	long l;

	switch (o->kind) {
	case EK_STAT:
		u = snmp_get_statistic(o->arg);
		snmp_set_var_typed_value(vb, ASN_COUNTER, &u, sizeof(u));
		return;
	case EK_ENGINE_ID:
		n = snmpv3_get_engineID(engine_id, sizeof(engine_id));
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, engine_id, n);
		return;
	case EK_ENGINE_BOOTS:
		l = (long)snmpv3_local_snmpEngineBoots();
		break;
	case EK_ENGINE_TIME:
		l = (long)snmpv3_local_snmpEngineTime();
		break;
	case EK_MAX_MSG:
		l = netsnmp_max_send_msg_size();
		break;
	case EK_AUTHEN_TRAPS:
		l = 2;
		break;
	default:
		return;
	}
	snmp_set_var_typed_value(vb, ASN_INTEGER, &l, sizeof(l));
}

static bool under(const oid *name, size_t len, const oid *root, size_t rlen)
{
	return len >= rlen && snmp_oid_compare(name, rlen, root, rlen) == 0;
}

static int on_engine(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
		     netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		netsnmp_variable_list *vb = req->requestvb;
		const struct engine_obj *hit = NULL;

		if (req->processed)
			continue;
		for (size_t i = 0; i < sizeof(engine_objs) / sizeof(engine_objs[0]) && !hit; i++) {
			const struct engine_obj *o = &engine_objs[i];
			int c = snmp_oid_compare(o->id, o->len, vb->name, vb->name_length);

			if (!under(o->id, o->len, reg->rootoid, reg->rootoid_len))
				continue;
			if (ri->mode == MODE_GET ? c == 0 : c > 0)
				hit = o;
		}
		if (ri->mode == MODE_GET && !hit)
			netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
		else if (ri->mode == MODE_GET || (ri->mode == MODE_GETNEXT && hit)) {
			if (ri->mode == MODE_GETNEXT)
				snmp_set_var_objid(vb, hit->id, hit->len);
			engine_value(hit, vb);
		} else if (ri->mode != MODE_GETNEXT)
			netsnmp_set_request_error(ri, req, SNMP_ERR_NOTWRITABLE);
	}
	return SNMP_ERR_NOERROR;
}

int agent_engine_register(struct snmp_agent *a)
{
	for (size_t i = 0; i < sizeof(engine_roots) / sizeof(engine_roots[0]); i++) {
		netsnmp_handler_registration *reg;

		if (a->n_regs == AGENT_MAX_ROOTS)
			return -ENOSPC;
		reg = netsnmp_create_handler_registration(engine_roots[i].name, on_engine,
							  engine_roots[i].id, engine_roots[i].len,
							  HANDLER_CAN_RONLY);
		if (!reg)
			return -ENOMEM;
		if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
			log_error("snmp: cannot register %s", engine_roots[i].name);
			return -EEXIST;
		}
		a->regs[a->n_regs++] = reg;
	}
	return 0;
}
