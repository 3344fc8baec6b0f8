/* Who may talk to the agent and what they may do.
 *
 * - Before net-snmp parses a packet (agent_pre_parse, the session's
 *   pre-parse hook): the firewall rules, then the rate limit. A rejected
 *   packet is dropped without an answer, as a closed port would be.
 * - Once parsed (SNMPD_CALLBACK_ACM_CHECK_INITIAL, the hook net-snmp's
 *   VACM module would use): the v1/v2c community or the v3 user and its
 *   security level. No VACM tables: the rules come from the settings.
 * - After the packet (agent_access_account): a wrong community, an unknown
 *   v3 user, a wrong key or too low a level counts against its sender. */
#include "snmp/agent_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "auth/firewall.h"
#include "common/log.h"

/* Fields of the snmp.users items (settings_schema.c), in order. */
enum { USER_NAME = 0, USER_LEVEL, USER_AUTH, USER_AUTH_PASSWORD, USER_PRIV, USER_PRIV_PASSWORD };

void agent_rules_load(struct agent_rules *r, const struct settings *s)
{
	const struct setting_list *users = settings_list(s, SET_SNMP_USERS);

	memset(r, 0, sizeof(*r));
	snprintf(r->read_community, sizeof(r->read_community), "%s",
		 settings_str(s, SET_SNMP_READ_COMMUNITY));
	snprintf(r->write_community, sizeof(r->write_community), "%s",
		 settings_str(s, SET_SNMP_WRITE_COMMUNITY));
	r->write_enabled = settings_bool(s, SET_SNMP_WRITE_ENABLED);
	for (size_t i = 0; users && i < users->n && r->n_users < 8; i++) {
		struct agent_user *u = &r->users[r->n_users++];
		const char *auth = settings_item(s, SET_SNMP_USERS, i, USER_AUTH)->s;
		const char *priv = settings_item(s, SET_SNMP_USERS, i, USER_PRIV)->s;

		snprintf(u->name, sizeof(u->name), "%s", settings_item(s, SET_SNMP_USERS, i, USER_NAME)->s);
		u->write = strcmp(settings_item(s, SET_SNMP_USERS, i, USER_LEVEL)->s, "read-write") == 0;
		if (strcmp(auth, "none") == 0)
			u->min_level = SNMP_SEC_LEVEL_NOAUTH;
		else if (strcmp(priv, "none") == 0)
			u->min_level = SNMP_SEC_LEVEL_AUTHNOPRIV;
		else
			u->min_level = SNMP_SEC_LEVEL_AUTHPRIV;
	}
}

/* ---- addresses --------------------------------------------------------- */

static socklen_t peer_from(const void *data, size_t len, struct sockaddr_storage *out)
{
	const struct sockaddr *sa;

	memset(out, 0, sizeof(*out));
	if (!data)
		return 0;
	/* UDP and UDP6 transports hand over a netsnmp_indexed_addr_pair. */
	if (len >= sizeof(netsnmp_addr_pair))
		sa = &((const netsnmp_addr_pair *)data)->remote_addr.sa;
	else if (len >= sizeof(struct sockaddr_in))
		sa = data;
	else
		return 0;
	if (sa->sa_family == AF_INET) {
		memcpy(out, sa, sizeof(struct sockaddr_in));
		return sizeof(struct sockaddr_in);
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		memcpy(out, sa, sizeof(struct sockaddr_in6));
		return sizeof(struct sockaddr_in6);
	}
	return 0;
}

socklen_t agent_pdu_peer(const netsnmp_pdu *pdu, struct sockaddr_storage *out)
{
	return peer_from(pdu->transport_data, (size_t)pdu->transport_data_length, out);
}

void agent_peer_text(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (len >= sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr))
			inet_ntop(AF_INET, a->sin6_addr.s6_addr + 12, host, sizeof(host));
		else
			inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
	} else if (len >= sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, host, sizeof(host));
	}
	snprintf(buf, size, "%s", host);
}

/* ---- rate limit ---------------------------------------------------------- */

/* One key per host: no port, IPv4-mapped IPv6 as IPv4. */
static void rl_key(const struct sockaddr *sa, struct sockaddr_storage *key)
{
	memset(key, 0, sizeof(*key));
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
			struct sockaddr_in *k = (struct sockaddr_in *)key;

			k->sin_family = AF_INET;
			memcpy(&k->sin_addr, a->sin6_addr.s6_addr + 12, 4);
		} else {
			struct sockaddr_in6 *k = (struct sockaddr_in6 *)key;

			k->sin6_family = AF_INET6;
			k->sin6_addr = a->sin6_addr;
		}
	} else if (sa->sa_family == AF_INET) {
		struct sockaddr_in *k = (struct sockaddr_in *)key;

		k->sin_family = AF_INET;
		k->sin_addr = ((const struct sockaddr_in *)sa)->sin_addr;
	}
}

static struct rl_entry *rl_find(struct rl_table *t, const struct sockaddr *sa, bool create,
				uint64_t now)
{
	struct sockaddr_storage key;
	struct rl_entry *victim = NULL;

	rl_key(sa, &key);
	for (size_t i = 0; i < RL_TABLE; i++)
		if (t->e[i].used && memcmp(&t->e[i].addr, &key, sizeof(key)) == 0)
			return &t->e[i];
	if (!create)
		return NULL;
	/* A free slot, else the least recently failing host not blocked,
	 * else the least recently failing one. */
	for (size_t i = 0; i < RL_TABLE; i++) {
		struct rl_entry *e = &t->e[i];

		if (!e->used) {
			victim = e;
			break;
		}
		if (!victim || (e->blocked_until_usec <= now) > (victim->blocked_until_usec <= now) ||
		    ((e->blocked_until_usec <= now) == (victim->blocked_until_usec <= now) &&
		     e->last_usec < victim->last_usec))
			victim = e;
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->addr = key;
	victim->first_usec = now;
	return victim;
}

bool rl_blocked(struct rl_table *t, const struct sockaddr *sa, uint64_t now_usec)
{
	struct rl_entry *e = rl_find(t, sa, false, now_usec);

	if (!e || e->blocked_until_usec == 0)
		return false;
	if (e->blocked_until_usec > now_usec)
		return true;
	e->blocked_until_usec = 0;      /* served its time: a fresh start */
	e->failures = 0;
	e->first_usec = now_usec;
	return false;
}

bool rl_fail(struct rl_table *t, const struct sockaddr *sa, uint64_t now_usec)
{
	struct rl_entry *e = rl_find(t, sa, true, now_usec);

	if (now_usec - e->first_usec > (uint64_t)RL_WINDOW_S * 1000000u) {
		e->first_usec = now_usec;
		e->failures = 0;
	}
	e->failures++;
	e->last_usec = now_usec;
	if (e->failures < RL_FAILURES || e->blocked_until_usec > now_usec)
		return false;
	e->blocked_until_usec = now_usec + (uint64_t)RL_BLOCK_S * 1000000u;
	return true;
}

/* ---- hooks ---------------------------------------------------------------- */

/* Every way a request fails authentication, as net-snmp counts them;
 * not-in-time-window and unknown engine ID are the normal v3 discovery. */
static unsigned long failures_total(const struct snmp_agent *a)
{
	return a->refusals + snmp_get_statistic(STAT_SNMPINBADCOMMUNITYNAMES) +
	       snmp_get_statistic(STAT_USMSTATSUNKNOWNUSERNAMES) +
	       snmp_get_statistic(STAT_USMSTATSWRONGDIGESTS) +
	       snmp_get_statistic(STAT_USMSTATSDECRYPTIONERRORS) +
	       snmp_get_statistic(STAT_USMSTATSUNSUPPORTEDSECLEVELS);
}

int agent_pre_parse(netsnmp_session *s, netsnmp_transport *t, void *opaque, int len)
{
	struct snmp_agent *a = s->myvoid;

	if (!a)
		return netsnmp_agent_check_packet(s, t, opaque, len);
	a->peer_len = peer_from(opaque, len > 0 ? (size_t)len : 0, &a->peer);
	if (a->peer_len == 0)
		return 0;                       /* not UDP over IP: not ours */
	if (a->fw && !firewall_allows(a->fw, (struct sockaddr *)&a->peer, a->peer_len))
		return 0;
	if (rl_blocked(&a->rl, (struct sockaddr *)&a->peer, agent_now_usec()))
		return 0;
	a->failures_seen = failures_total(a);
	return netsnmp_agent_check_packet(s, t, opaque, len);
}

void agent_access_account(struct snmp_agent *a)
{
	char host[AGENT_PEER_MAX];

	if (a->peer_len == 0 || failures_total(a) == a->failures_seen)
		return;
	if (!rl_fail(&a->rl, (struct sockaddr *)&a->peer, agent_now_usec()))
		return;
	agent_peer_text((struct sockaddr *)&a->peer, a->peer_len, host, sizeof(host));
	log_warning("snmp: %s ignored for %d s after %d failed requests in %d s",
		    host, RL_BLOCK_S, RL_FAILURES, RL_WINDOW_S);
}

static bool secret_equal(const char *secret, const u_char *given, size_t len)
{
	size_t n = strlen(secret);
	unsigned char diff = (unsigned char)(n != len);

	/* Time independent of where the first difference is. */
	for (size_t i = 0; i < len; i++)
		diff |= (unsigned char)(given[i] ^ (unsigned char)secret[i < n ? i : 0]);
	return n > 0 && diff == 0;
}

enum agent_access agent_access_of(const struct snmp_agent *a, const netsnmp_pdu *pdu,
				  char *who, size_t len)
{
	const struct agent_rules *r = &a->rules;
	struct sockaddr_storage peer;
	char host[AGENT_PEER_MAX] = "?";
	socklen_t plen = agent_pdu_peer(pdu, &peer);

	if (plen)
		agent_peer_text((struct sockaddr *)&peer, plen, host, sizeof(host));
	if (pdu->version == SNMP_VERSION_1 || pdu->version == SNMP_VERSION_2c) {
		if (secret_equal(r->write_community, pdu->community, pdu->community_len)) {
			if (who)
				snprintf(who, len, "write community from %s", host);
			return r->write_enabled ? ACCESS_WRITE : ACCESS_READ;
		}
		if (secret_equal(r->read_community, pdu->community, pdu->community_len)) {
			if (who)
				snprintf(who, len, "read community from %s", host);
			return ACCESS_READ;
		}
		return ACCESS_NONE;
	}
	if (pdu->version != SNMP_VERSION_3 || pdu->securityModel != SNMP_SEC_MODEL_USM ||
	    !pdu->securityName)
		return ACCESS_NONE;
	for (size_t i = 0; i < r->n_users; i++) {
		const struct agent_user *u = &r->users[i];

		if (strlen(u->name) != pdu->securityNameLen ||
		    memcmp(u->name, pdu->securityName, pdu->securityNameLen) != 0)
			continue;
		if (pdu->securityLevel < u->min_level)
			return ACCESS_NONE;
		if (who)
			snprintf(who, len, "v3 user %s from %s", u->name, host);
		return u->write ? ACCESS_WRITE : ACCESS_READ;
	}
	return ACCESS_NONE;
}

static int on_acm_initial(int major, int minor, void *serverarg, void *clientarg)
{
	struct view_parameters *vp = serverarg;
	struct snmp_agent *a = clientarg;
	netsnmp_pdu *pdu = vp->pdu;

	if (pdu->version == SNMP_VERSION_3 && pdu->contextNameLen != 0) {
		vp->errorcode = VACM_NOSUCHCONTEXT;
		return 0;
	}
	if (agent_access_of(a, pdu, NULL, 0) != ACCESS_NONE)
		return 0;
	if (pdu->version == SNMP_VERSION_3) {
		/* Authenticated by USM but not allowed at this level. */
		vp->errorcode = VACM_NOACCESS;
		a->refusals++;
	} else {
		vp->errorcode = VACM_NOSECNAME;
		snmp_increment_statistic(STAT_SNMPINBADCOMMUNITYNAMES);
	}
	return 0;
}

/* Exported by libnetsnmpagent, declared only in its private mibII/vacm_conf.h. */
int vacm_in_view_callback(int major, int minor, void *serverarg, void *clientarg);

/* init_agent() installs net-snmp's VACM, which refuses everything without
 * an snmpd.conf; its callbacks go, ours decides. */
static void vacm_remove(void)
{
	static const int checks[] = {
		SNMPD_CALLBACK_ACM_CHECK, SNMPD_CALLBACK_ACM_CHECK_INITIAL,
		SNMPD_CALLBACK_ACM_CHECK_SUBTREE,
	};

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, checks[i], vacm_in_view_callback,
					 NULL, 0);
}

int agent_access_start(struct snmp_agent *a)
{
	int r;

	vacm_remove();
	r = snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_ACM_CHECK_INITIAL,
				   on_acm_initial, a);

	if (r != SNMPERR_SUCCESS) {
		log_error("snmp: cannot install the access check");
		return -ENOMEM;
	}
	return 0;
}

void agent_access_stop(struct snmp_agent *a)
{
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_ACM_CHECK_INITIAL,
				 on_acm_initial, a, 1);
}
