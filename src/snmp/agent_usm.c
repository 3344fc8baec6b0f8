/* SNMPv3 USM users from the settings (snmp.users), made directly in
 * net-snmp's user table: the passwords are turned into keys localised to
 * our engine ID (RFC 3414 §2.6, extended for AES-192/256 as net-snmp's
 * "Blumenthal" draft support does), never written to a file (volatile
 * users) and never logged. A reload replaces the whole table, so a
 * removed user or a changed password stops working at once. */
#include "snmp/agent_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

enum { USER_NAME = 0, USER_LEVEL, USER_AUTH, USER_AUTH_PASSWORD, USER_PRIV, USER_PRIV_PASSWORD };

/* Ku (from the password) then Kul (localised) into a fresh buffer. */
static int localise(struct usmUser *u, const char *password, u_char **key, size_t *key_len,
		    size_t buf_len)
{
	u_char ku[SNMP_MAXBUF_SMALL];
	size_t ku_len = sizeof(ku);
	int r = -EINVAL;

	*key = calloc(1, buf_len);
	*key_len = buf_len;
	if (!*key)
		return -ENOMEM;
	if (generate_Ku(u->authProtocol, (u_int)u->authProtocolLen, (const u_char *)password,
			strlen(password), ku, &ku_len) == SNMPERR_SUCCESS &&
	    generate_kul(u->authProtocol, (u_int)u->authProtocolLen, u->engineID, u->engineIDLen,
			 ku, ku_len, *key, key_len) == SNMPERR_SUCCESS)
		r = 0;
	explicit_bzero(ku, sizeof(ku));
	return r;
}

static int set_auth(struct usmUser *u, const char *proto, const char *password, const char **why)
{
	int type = usm_lookup_auth_type(proto);
	size_t oid_len = 0;
	const oid *o = type < 0 ? NULL : sc_get_auth_oid(type, &oid_len);
	int proper = type < 0 ? -1 : sc_get_proper_auth_length_bytype(type);

	if (!o || proper <= 0) {
		*why = "authentication protocol not supported by this net-snmp";
		return -ENOTSUP;
	}
	SNMP_FREE(u->authProtocol);
	u->authProtocol = snmp_duplicate_objid(o, oid_len);
	u->authProtocolLen = oid_len;
	if (!u->authProtocol || localise(u, password, &u->authKey, &u->authKeyLen, (size_t)proper) < 0) {
		*why = "cannot derive the authentication key";
		return -EINVAL;
	}
	return 0;
}

static int set_priv(struct usmUser *u, const char *proto, const char *password, const char **why)
{
	int type = usm_lookup_priv_type(proto);
	const netsnmp_priv_alg_info *pai = type < 0 ? NULL : sc_get_priv_alg_bytype((u_int)type);
	int auth_len = sc_get_proper_auth_length_bytype(sc_get_authtype(u->authProtocol,
								       (u_int)u->authProtocolLen));
	size_t need;

	if (!pai) {
		*why = "privacy protocol not supported by this net-snmp";
		return -ENOTSUP;
	}
	SNMP_FREE(u->privProtocol);
	u->privProtocol = snmp_duplicate_objid(pai->alg_oid, (size_t)pai->oid_len);
	u->privProtocolLen = (size_t)pai->oid_len;
	/* DES keeps its pre-IV next to the key: twice the key length. */
	need = (size_t)pai->proper_length * (pai->type == USM_CREATE_USER_PRIV_DES ? 2 : 1);
	if (!u->privProtocol ||
	    localise(u, password, &u->privKey, &u->privKeyLen,
		     need > (size_t)auth_len ? need : (size_t)auth_len) < 0 ||
	    (u->privKeyLen < need && usm_extend_user_kul(u, (u_int)need) != SNMPERR_SUCCESS) ||
	    u->privKeyLen < need) {
		*why = "cannot derive the privacy key";
		return -EINVAL;
	}
	u->privKeyLen = need;
	return 0;
}

static int add_user(const u_char *engine, size_t engine_len, const char *name, const char *auth,
		    const char *auth_pw, const char *priv, const char *priv_pw, const char **why)
{
	struct usmUser *u = usm_create_user();
	int r = 0;

	if (!u)
		return -ENOMEM;
	u->engineID = netsnmp_memdup(engine, engine_len);
	u->engineIDLen = engine_len;
	u->name = strdup(name);
	u->secName = strdup(name);
	u->userStorageType = ST_VOLATILE;       /* never in the persistent file */
	u->userStatus = RS_ACTIVE;
	if (!u->engineID || !u->name || !u->secName)
		r = -ENOMEM;
	if (r == 0 && strcmp(auth, "none") != 0)
		r = set_auth(u, auth, auth_pw, why);
	if (r == 0 && strcmp(priv, "none") != 0)
		r = set_priv(u, priv, priv_pw, why);
	if (r < 0) {
		usm_free_user(u);
		return r;
	}
	usm_add_user(u);
	return 0;
}

/* The users of our engine only: the trap sender's v3 inform users are
 * localised to their receivers' engines and belong to it. */
void agent_usm_clear(void)
{
	u_char engine[USM_MAX_ID_LENGTH];
	size_t engine_len = snmpv3_get_engineID(engine, sizeof(engine));
	struct usmUser *u = usm_get_userList();

	while (u) {
		struct usmUser *next = u->next;

		if (u->engineIDLen == engine_len && memcmp(u->engineID, engine, engine_len) == 0) {
			usm_remove_user(u);
			usm_free_user(u);
		}
		u = next;
	}
}

int agent_usm_load(const struct settings *s)
{
	const struct setting_list *users = settings_list(s, SET_SNMP_USERS);
	u_char engine[USM_MAX_ID_LENGTH];
	size_t engine_len = snmpv3_get_engineID(engine, sizeof(engine));
	int failed = 0;

	agent_usm_clear();
	if (engine_len == 0) {
		log_error("snmp: no SNMPv3 engine ID: v3 users disabled");
		return -EIO;
	}
	for (size_t i = 0; users && i < users->n; i++) {
		const char *name = settings_item(s, SET_SNMP_USERS, i, USER_NAME)->s;
		const char *why = "out of memory";
		int r;

		if (usm_get_user(engine, engine_len, name)) {
			log_error("snmp.users[%zu]: user %s is listed twice: this entry is ignored", i, name);
			failed++;
			continue;
		}
		r = add_user(engine, engine_len, name,
			     settings_item(s, SET_SNMP_USERS, i, USER_AUTH)->s,
			     settings_item(s, SET_SNMP_USERS, i, USER_AUTH_PASSWORD)->s,
			     settings_item(s, SET_SNMP_USERS, i, USER_PRIV)->s,
			     settings_item(s, SET_SNMP_USERS, i, USER_PRIV_PASSWORD)->s, &why);
		if (r < 0) {
			log_error("snmp.users[%zu]: user %s not created: %s", i, name, why);
			failed++;
		}
	}
	if (users && users->n)
		log_info("snmp: %zu SNMPv3 user(s) in force", users->n - (size_t)failed);
	return failed ? -EINVAL : 0;
}
