/* Trap and inform PDUs through net-snmp's single-session API: the
 * sessions are in net-snmp's session list, so the agent's loop glue
 * (agent_io.c, snmp_select_info2) watches their sockets and timers and
 * inform replies and retries are handled on the main loop. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <errno.h>
#include <string.h>

#include "common/log.h"
#include "snmp/trap_net.h"

/* Informs: 3 retries, 5 s apart (net-snmp's defaults are 5 and 1 s). */
#define TRAP_INFORM_RETRIES 3
#define TRAP_INFORM_TIMEOUT_USEC 5000000L

enum { USER_NAME = 0, USER_LEVEL, USER_AUTH, USER_AUTH_PASSWORD, USER_PRIV, USER_PRIV_PASSWORD };

static const oid sys_uptime_oid[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const oid trap_oid_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

static void oid_copy(oid *dst, const mib_oid *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = src[i];
}

/* ---- v3 ----------------------------------------------------------------- */

static int user_find(const struct settings *s, const char *name)
{
	const struct setting_list *users = settings_list(s, SET_SNMP_USERS);

	for (size_t i = 0; users && i < users->n; i++)
		if (strcmp(settings_item(s, SET_SNMP_USERS, i, USER_NAME)->s, name) == 0)
			return (int)i;
	return -ENOENT;
}

/* Security name, level, protocols and the passwords' Ku (net-snmp
 * localises them to the engine ID when it makes the USM user). */
static int v3_setup(netsnmp_session *sess, const struct trap_target *tg, const struct settings *s)
{
	int i = user_find(s, tg->cfg.user);
	const char *auth, *priv;

	if (i < 0) {
		log_error("snmp.receivers[%u]: user %s is not in snmp.users: receiver disabled",
			  tg->cfg.index, tg->cfg.user);
		return -ENOENT;
	}
	auth = settings_item(s, SET_SNMP_USERS, (size_t)i, USER_AUTH)->s;
	priv = settings_item(s, SET_SNMP_USERS, (size_t)i, USER_PRIV)->s;
	sess->securityModel = SNMP_SEC_MODEL_USM;
	sess->securityName = (char *)tg->cfg.user;
	sess->securityNameLen = strlen(tg->cfg.user);
	sess->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	if (strcmp(auth, "none") == 0)
		return 0;

	int type = usm_lookup_auth_type(auth);
	size_t len = 0;
	const oid *proto = type < 0 ? NULL : sc_get_auth_oid(type, &len);
	const char *pw = settings_item(s, SET_SNMP_USERS, (size_t)i, USER_AUTH_PASSWORD)->s;

	sess->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (!proto || generate_Ku(proto, (u_int)len, (const u_char *)pw, strlen(pw),
				  sess->securityAuthKey, &sess->securityAuthKeyLen) != SNMPERR_SUCCESS) {
		log_error("snmp.receivers[%u]: user %s: authentication %s unusable",
			  tg->cfg.index, tg->cfg.user, auth);
		return -EINVAL;
	}
	sess->securityAuthProto = (oid *)proto;
	sess->securityAuthProtoLen = len;
	sess->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
	if (strcmp(priv, "none") == 0)
		return 0;

	int ptype = usm_lookup_priv_type(priv);
	const netsnmp_priv_alg_info *pai = ptype < 0 ? NULL : sc_get_priv_alg_bytype((u_int)ptype);

	pw = settings_item(s, SET_SNMP_USERS, (size_t)i, USER_PRIV_PASSWORD)->s;
	sess->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (!pai || generate_Ku(proto, (u_int)len, (const u_char *)pw, strlen(pw),
				sess->securityPrivKey, &sess->securityPrivKeyLen) != SNMPERR_SUCCESS) {
		log_error("snmp.receivers[%u]: user %s: privacy %s unusable",
			  tg->cfg.index, tg->cfg.user, priv);
		return -EINVAL;
	}
	sess->securityPrivProto = (oid *)pai->alg_oid;
	sess->securityPrivProtoLen = (size_t)pai->oid_len;
	sess->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	return 0;
}

/* ---- informs -------------------------------------------------------------- */

static void queue_flush(struct trap_target *tg, bool send);

static int on_reply(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct trap_target *tg = magic;

	if (tg->closing)                /* snmp_close() ends what is outstanding */
		return 1;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu && pdu->command == SNMP_MSG_RESPONSE) {
		tg->acked++;
		log_debug("snmp: receiver %u (%s) acknowledged inform %d", tg->cfg.index, tg->peer,
			  reqid);
	} else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
		tg->lost++;
		log_warning("snmp: receiver %u (%s) did not acknowledge an inform after %d tries",
			    tg->cfg.index, tg->peer, TRAP_INFORM_RETRIES + 1);
	} else if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu) {
		tg->lost++;
		log_warning("snmp: receiver %u (%s) refused an inform (%s)", tg->cfg.index, tg->peer,
			    snmp_api_errstring(snmpv3_get_report_type(pdu)));
	}
	return 1;
}

/* net-snmp keeps the user it made for a receiver's engine and reuses
 * it, keys included, for every later session to that engine: one left
 * from before a reload would sign with the old passwords. The agent's
 * own users (our engine ID, agent_usm.c) are not the sender's to drop. */
static void stale_user_drop(const netsnmp_session *ss)
{
	u_char own[USM_MAX_ID_LENGTH];
	size_t own_len = snmpv3_get_engineID(own, sizeof(own));
	struct usmUser *u;

	if (own_len == ss->securityEngineIDLen &&
	    memcmp(own, ss->securityEngineID, own_len) == 0)
		return;
	u = usm_get_user(ss->securityEngineID, ss->securityEngineIDLen, ss->securityName);
	if (u) {
		usm_remove_user(u);
		usm_free_user(u);
	}
}

/* RFC 3414 §4: a v3 inform's receiver is authoritative, so its engine ID
 * is discovered first (an unauthenticated request answered by a report
 * that carries it), without blocking as net-snmp's own probe would. */
static int on_discovery(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct trap_target *tg = magic;

	/* net-snmp passes the report first as a security error, then may
	 * call again for the same request: the first answer counts. */
	if (tg->discovered || !tg->discovering || tg->closing)
		return 1;
	tg->discovering = false;
	if (!pdu || pdu->command != SNMP_MSG_REPORT || !pdu->securityEngineIDLen ||
	    pdu->securityEngineIDLen > USM_MAX_ID_LENGTH) {
		log_warning("snmp: receiver %u (%s): no SNMPv3 engine ID discovered (%s); "
			    "%zu inform(s) dropped", tg->cfg.index, tg->peer,
			    pdu && pdu->command == SNMP_MSG_REPORT ? "a report without it" : "no answer",
			    tg->n_queue);
		queue_flush(tg, false);
		return 1;
	}
	SNMP_FREE(ss->securityEngineID);
	SNMP_FREE(ss->contextEngineID);
	ss->securityEngineID = netsnmp_memdup(pdu->securityEngineID, pdu->securityEngineIDLen);
	ss->contextEngineID = netsnmp_memdup(pdu->securityEngineID, pdu->securityEngineIDLen);
	if (!ss->securityEngineID || !ss->contextEngineID) {
		queue_flush(tg, false);
		return 1;
	}
	ss->securityEngineIDLen = ss->contextEngineIDLen = pdu->securityEngineIDLen;
	stale_user_drop(ss);
	if (usm_create_user_from_session(ss) != SNMPERR_SUCCESS) {
		log_error("snmp: receiver %u (%s): cannot make the v3 user for its engine",
			  tg->cfg.index, tg->peer);
		queue_flush(tg, false);
		return 1;
	}
	tg->discovered = true;
	log_debug("snmp: receiver %u (%s): engine ID discovered", tg->cfg.index, tg->peer);
	queue_flush(tg, true);
	return 1;
}

static int discover(struct trap_target *tg)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);

	if (!pdu)
		return -ENOMEM;
	pdu->version = SNMP_VERSION_3;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityName = strdup("");
	pdu->securityNameLen = 0;
	if (!pdu->securityName || !snmp_async_send(tg->ss, pdu, on_discovery, tg)) {
		snmp_free_pdu(pdu);
		return -EIO;
	}
	tg->discovering = true;
	return 0;
}

static int send_pdu(struct trap_target *tg, netsnmp_pdu *pdu)
{
	int ok;

	if (pdu->command == SNMP_MSG_INFORM)
		ok = snmp_async_send(tg->ss, pdu, on_reply, tg);
	else
		ok = snmp_send(tg->ss, pdu);
	if (!ok) {
		log_warning("snmp: trap to receiver %u (%s) not sent: %s", tg->cfg.index, tg->peer,
			    snmp_api_errstring(snmp_errno));
		snmp_free_pdu(pdu);
		return -EIO;
	}
	tg->sent++;
	return 0;
}

static void queue_flush(struct trap_target *tg, bool send)
{
	for (size_t i = 0; i < tg->n_queue; i++) {
		if (send)
			send_pdu(tg, tg->queue[i]);
		else
			snmp_free_pdu(tg->queue[i]);
		tg->queue[i] = NULL;
	}
	tg->n_queue = 0;
}

/* ---- sessions --------------------------------------------------------------- */

int trap_net_open(struct trap_target *tg, const struct settings *s)
{
	static const long versions[] = { SNMP_VERSION_1, SNMP_VERSION_2c, SNMP_VERSION_3 };
	u_char engine[USM_MAX_ID_LENGTH];
	netsnmp_session sess;
	int r = 0;

	trap_net_close(tg);
	snmp_sess_init(&sess);
	sess.peername = tg->peer;
	sess.version = versions[tg->cfg.version];
	sess.retries = TRAP_INFORM_RETRIES;
	sess.timeout = TRAP_INFORM_TIMEOUT_USEC;
	sess.callback = on_reply;
	sess.callback_magic = tg;
	if (tg->cfg.version != TRAP_V3) {
		sess.community = (u_char *)tg->cfg.community;
		sess.community_len = strlen(tg->cfg.community);
	} else {
		r = v3_setup(&sess, tg, s);
		if (r == 0 && tg->cfg.inform) {
			sess.flags |= SNMP_FLAGS_DONT_PROBE;    /* discovered asynchronously */
		} else if (r == 0) {
			/* A trap's authoritative engine is ours (RFC 3414 §3.1.1). */
			size_t len = snmpv3_get_engineID(engine, sizeof(engine));

			sess.securityEngineID = sess.contextEngineID = engine;
			sess.securityEngineIDLen = sess.contextEngineIDLen = len;
			if (!len)
				r = -EIO;
		}
	}
	if (r == 0) {
		tg->ss = snmp_open(&sess);
		if (!tg->ss) {
			log_error("snmp: receiver %u (%s): cannot open a session: %s", tg->cfg.index,
				  tg->peer, snmp_api_errstring(snmp_errno));
			r = -EIO;
		} else {
			/* snmp_open clears it; without it the first send would
			 * probe the engine ID synchronously. */
			tg->ss->flags |= sess.flags & SNMP_FLAGS_DONT_PROBE;
		}
	}
	explicit_bzero(sess.securityAuthKey, sizeof(sess.securityAuthKey));
	explicit_bzero(sess.securityPrivKey, sizeof(sess.securityPrivKey));
	return r;
}

int trap_net_fd(const struct trap_target *tg)
{
	void *sessp = tg->ss ? snmp_sess_pointer(tg->ss) : NULL;
	netsnmp_transport *t = sessp ? snmp_sess_transport(sessp) : NULL;

	return t ? t->sock : -1;
}

void trap_net_close(struct trap_target *tg)
{
	queue_flush(tg, false);
	/* snmp_close() calls back, as timed out, every inform and discovery
	 * still outstanding: neither is a failure to report then. */
	tg->closing = true;
	if (tg->ss)
		snmp_close(tg->ss);
	tg->ss = NULL;
	tg->closing = false;
	tg->discovering = tg->discovered = false;
}

/* ---- PDUs -------------------------------------------------------------------- */

static int add_value(netsnmp_pdu *pdu, const struct trap_varbind *vb)
{
	oid name[MIB_OID_MAX], value[MIB_OID_MAX];
	const struct mib_value *v = &vb->value;
	long l = (long)v->i;
	u_long u = (u_long)v->i;

	oid_copy(name, vb->name.id, vb->name.len);
	switch (v->type) {
	case MIB_INTEGER:
		return snmp_pdu_add_variable(pdu, name, vb->name.len, ASN_INTEGER, &l, sizeof(l)) ? 0 : -ENOMEM;
	case MIB_COUNTER32:
	case MIB_GAUGE32:
	case MIB_TIMETICKS:
		return snmp_pdu_add_variable(pdu, name, vb->name.len, (u_char)v->type, &u, sizeof(u)) ?
		       0 : -ENOMEM;
	case MIB_OCTETS:
	case MIB_IPADDRESS:
		return snmp_pdu_add_variable(pdu, name, vb->name.len, (u_char)v->type, v->s,
					     v->len) ? 0 : -ENOMEM;
	case MIB_OBJECT_ID:
		oid_copy(value, v->oid, v->len);
		return snmp_pdu_add_variable(pdu, name, vb->name.len, ASN_OBJECT_ID, value,
					     v->len * sizeof(oid)) ? 0 : -ENOMEM;
	}
	return -EINVAL;
}

static netsnmp_pdu *build(const struct trap_target *tg, const struct trap_def *def,
			  const struct trap_varbind *vb, size_t n_vb, uint64_t uptime_cs)
{
	bool v1 = tg->cfg.version == TRAP_V1;
	netsnmp_pdu *pdu = snmp_pdu_create(v1 ? SNMP_MSG_TRAP :
					   tg->cfg.inform ? SNMP_MSG_INFORM : SNMP_MSG_TRAP2);
	u_long ticks = (u_long)(uptime_cs & 0xFFFFFFFFu);
	oid trap_oid[MIB_OID_MAX];
	int r = 0;

	if (!pdu)
		return NULL;
	if (v1) {
		pdu->enterprise = calloc(def->enterprise_len, sizeof(oid));
		if (!pdu->enterprise) {
			snmp_free_pdu(pdu);
			return NULL;
		}
		oid_copy(pdu->enterprise, def->enterprise, def->enterprise_len);
		pdu->enterprise_length = def->enterprise_len;
		pdu->trap_type = SNMP_TRAP_ENTERPRISESPECIFIC;
		pdu->specific_type = def->specific;
		pdu->time = ticks;
	} else {
		/* RFC 3416 §4.2.6: sysUpTime.0 then snmpTrapOID.0 come first. */
		oid_copy(trap_oid, def->oid, def->oid_len);
		if (!snmp_pdu_add_variable(pdu, sys_uptime_oid, OID_LENGTH(sys_uptime_oid),
					   ASN_TIMETICKS, &ticks, sizeof(ticks)) ||
		    !snmp_pdu_add_variable(pdu, trap_oid_oid, OID_LENGTH(trap_oid_oid),
					   ASN_OBJECT_ID, trap_oid, def->oid_len * sizeof(oid)))
			r = -ENOMEM;
	}
	for (size_t i = 0; i < n_vb && r == 0; i++)
		r = add_value(pdu, &vb[i]);
	if (r < 0) {
		snmp_free_pdu(pdu);
		return NULL;
	}
	return pdu;
}

int trap_net_send(struct trap_target *tg, const struct trap_def *def,
		  const struct trap_varbind *vb, size_t n_vb, uint64_t uptime_cs)
{
	netsnmp_pdu *pdu;

	if (!tg->ss)
		return -ENOTCONN;
	pdu = build(tg, def, vb, n_vb, uptime_cs);
	if (!pdu)
		return -ENOMEM;
	if (tg->cfg.version != TRAP_V3 || !tg->cfg.inform || tg->discovered)
		return send_pdu(tg, pdu);
	if (tg->n_queue == TRAP_QUEUE_MAX) {
		log_warning("snmp: receiver %u (%s): engine ID still unknown, inform dropped",
			    tg->cfg.index, tg->peer);
		snmp_free_pdu(pdu);
		return -ENOBUFS;
	}
	tg->queue[tg->n_queue++] = pdu;
	if (!tg->discovering && discover(tg) < 0) {
		log_warning("snmp: receiver %u (%s): cannot start the engine ID discovery",
			    tg->cfg.index, tg->peer);
		queue_flush(tg, false);
		return -EIO;
	}
	return 0;
}
