/* RADIUS logins (§15.4, §15.10): the primary server, then the
 * secondary one when the primary does not answer (or its answers do not
 * verify). Runs on pool threads only, from a copy of the settings; the
 * exchange itself is radpkt.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_priv.h"
#include "common/log.h"

/* Field order of radius_user_items (settings_schema.c). */
enum { RADIUS_FIELD_NAME = 0, RADIUS_FIELD_ACCESS };

/* Host names and IPv4 literals: letters, digits, dots and dashes; IPv6
 * literals: what inet_pton takes. */
static bool host_ok(const char *host)
{
	struct in6_addr a6;

	if (inet_pton(AF_INET6, host, &a6) == 1)
		return true;
	if (!*host || strlen(host) > 253)
		return false;
	for (const char *p = host; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '.' && *p != '-')
			return false;
	return true;
}

static void add_server(struct radius_config *cfg, const char *host, const char *secret,
		       const char *which)
{
	struct radius_server *srv = &cfg->server[cfg->n_server];

	if (!host || !*host)
		return;
	if (!host_ok(host)) {
		log_error("auth.radius.%s: \"%s\" is not a host name or IP address", which, host);
		return;
	}
	if (!secret || !*secret) {
		log_error("auth.radius.%s_secret is empty: the %s server is not asked", which, which);
		return;
	}
	snprintf(srv->host, sizeof(srv->host), "%s", host);
	snprintf(srv->secret, sizeof(srv->secret), "%s", secret);
	cfg->n_server++;
}

bool radius_config_from(const struct settings *s, struct radius_config *cfg)
{
	const char *name = settings_str(s, SET_SYSTEM_NAME);

	memset(cfg, 0, sizeof(*cfg));
	if (!settings_bool(s, SET_AUTH_RADIUS_ENABLED))
		return false;
	add_server(cfg, settings_str(s, SET_AUTH_RADIUS_PRIMARY),
		   settings_str(s, SET_AUTH_RADIUS_PRIMARY_SECRET), "primary");
	add_server(cfg, settings_str(s, SET_AUTH_RADIUS_SECONDARY),
		   settings_str(s, SET_AUTH_RADIUS_SECONDARY_SECRET), "secondary");
	cfg->port = (unsigned)settings_int(s, SET_AUTH_RADIUS_PORT);
	cfg->timeout = (int)settings_int(s, SET_AUTH_RADIUS_TIMEOUT);
	cfg->retries = (int)settings_int(s, SET_AUTH_RADIUS_RETRIES);
	snprintf(cfg->nas_id, sizeof(cfg->nas_id), "%s", name && *name ? name : "upsgate");
	return true;
}

void radius_config_wipe(struct radius_config *cfg)
{
	explicit_bzero(cfg, sizeof(*cfg));
}

enum role radius_role(const struct settings *s, const char *user)
{
	const struct setting_list *list = settings_list(s, SET_AUTH_RADIUS_USERS);

	for (size_t i = 0; i < list->n; i++) {
		const char *access;

		if (strcmp(settings_item(s, SET_AUTH_RADIUS_USERS, i, RADIUS_FIELD_NAME)->s, user) != 0)
			continue;
		access = settings_item(s, SET_AUTH_RADIUS_USERS, i, RADIUS_FIELD_ACCESS)->s;
		if (strcmp(access, "read-write") == 0)
			return ROLE_READ_WRITE;
		if (strcmp(access, "read-only") == 0)
			return ROLE_READ_ONLY;
		return ROLE_NONE;
	}
	return ROLE_READ_ONLY;
}

enum radius_answer radius_check(const struct radius_config *cfg, const char *user,
				const char *password)
{
	static const char *const which[] = { "primary", "secondary" };

	for (size_t i = 0; i < cfg->n_server; i++) {
		const char *why = NULL;
		enum radius_answer a = radius_exchange(cfg, &cfg->server[i], user, password, &why);

		if (a != RADIUS_DOWN)
			return a;       /* a reject too: the server answered for the user */
		log_warning("RADIUS %s server %s port %u: %s", which[i], cfg->server[i].host,
			    cfg->port, why);
	}
	return RADIUS_DOWN;
}
