/* Backup, restore and factory reset of the whole configuration. A backup
 * is one JSON document (backup.h); the checksum catches a truncated or
 * damaged file, not a forged one: whoever holds a backup holds the
 * secrets, so it is written 0600 and kept like a password file. */
#include "auth/backup.h"

#include <errno.h>
#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "auth/auth_priv.h"

#define BACKUP_FORMAT "upsgate-backup"
#define BACKUP_VERSION 1
/* A full configuration is a few KB; accounts a few more. */
#define BACKUP_MAX (1u << 20)

static void add_error(json_t *errors, const char *key, const char *reason)
{
	json_array_append_new(errors, json_pack("{s:s, s:s}", "key", key, "reason", reason));
}

/* Hex SHA-256 of the document without its "sha256" member, written
 * compact with sorted keys (Python: json.dumps(d, sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False)). */
static int checksum(const json_t *doc, char hex[65])
{
	json_t *copy = json_copy((json_t *)doc);
	unsigned char digest[32];
	char *text;
	int r;

	if (!copy)
		return -ENOMEM;
	json_object_del(copy, "sha256");
	text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	if (!text)
		return -ENOMEM;
	r = gnutls_hash_fast(GNUTLS_DIG_SHA256, text, strlen(text), digest);
	free(text);
	if (r < 0)
		return -EIO;
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

char *backup_make(const struct settings *s, const struct auth *a)
{
	char created[32], host[256] = "", hex[65], *config, *text = NULL;
	json_t *accounts, *doc;
	time_t now = time(NULL);
	struct tm tm;

	config = settings_to_text(s);
	accounts = auth_export(a);
	if (!config || !accounts)
		goto out;
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	(void)gethostname(host, sizeof(host) - 1);
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:O}", "format", BACKUP_FORMAT,
			"version", BACKUP_VERSION, "created", created, "host", host,
			"config", config, "accounts", accounts);
	if (doc && checksum(doc, hex) == 0 && json_object_set_new(doc, "sha256", json_string(hex)) == 0)
		text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
out:
	free(config);
	json_decref(accounts);
	return text;
}

/* "config:12: serial.slave: 300 is out of range" -> {serial.slave, line 12: ...};
 * "config:3: syntax error: ..." -> {config, line 3: syntax error: ...} */
static void config_errors(const char *lines, json_t *errors)
{
	char *copy = strdup(lines), *save = NULL;

	if (!copy) {
		add_error(errors, "config", "out of memory");
		return;
	}
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *p = strchr(l, ':'), *rest, *sep, *end = NULL;
		long line = p ? strtol(p + 1, &end, 10) : 0;
		char buf[512];

		if (!p || end == p + 1 || *end != ':') {
			add_error(errors, "config", l);
			continue;
		}
		rest = end + 1 + strspn(end + 1, " ");
		sep = strstr(rest, ": ");
		/* A setting's key has no space; anything else is about the text. */
		if (!sep || memchr(rest, ' ', (size_t)(sep - rest))) {
			snprintf(buf, sizeof(buf), "line %ld: %s", line, rest);
			add_error(errors, "config", buf);
			continue;
		}
		*sep = '\0';
		snprintf(buf, sizeof(buf), "line %ld: %s", line, sep + 2);
		add_error(errors, rest, buf);
	}
	free(copy);
}

static int check_config(const json_t *doc, json_t *errors, struct settings **out)
{
	const json_t *config = json_object_get(doc, "config");
	char *lines = NULL;
	size_t len = 0;
	FILE *ef;
	int r;

	if (!json_is_string(config)) {
		add_error(errors, "config", "missing, or not a string");
		return -EINVAL;
	}
	ef = open_memstream(&lines, &len);
	if (!ef)
		return -ENOMEM;
	r = settings_load_text(json_string_value(config), json_string_length(config), "config", ef, out);
	fclose(ef);
	if (r < 0)
		config_errors(lines ? lines : "", errors);
	free(lines);
	return r;
}

static int check_envelope(const json_t *doc, json_t *errors)
{
	static const char *const members[] = {
		"format", "version", "created", "host", "config", "accounts", "sha256",
	};
	const json_t *format = json_object_get(doc, "format");
	const json_t *version = json_object_get(doc, "version");
	const json_t *sum = json_object_get(doc, "sha256");
	const char *name;
	json_t *j;
	char hex[65], buf[128];
	int r = 0;

	if (!json_is_string(format) || strcmp(json_string_value(format), BACKUP_FORMAT) != 0) {
		add_error(errors, "format", "not an upsgate backup (format must be \"" BACKUP_FORMAT "\")");
		r = -EINVAL;
	}
	if (!json_is_integer(version) || json_integer_value(version) != BACKUP_VERSION) {
		if (json_is_integer(version))
			snprintf(buf, sizeof(buf), "version %lld is not supported (this upsgated reads version %d)",
				 (long long)json_integer_value(version), BACKUP_VERSION);
		else
			snprintf(buf, sizeof(buf), "missing or not an integer");
		add_error(errors, "version", buf);
		r = -EINVAL;
	}
	json_object_foreach((json_t *)doc, name, j) {
		size_t i;

		for (i = 0; i < sizeof(members) / sizeof(members[0]) && strcmp(members[i], name); i++)
			;
		if (i == sizeof(members) / sizeof(members[0])) {
			snprintf(buf, sizeof(buf), "%.60s", name);
			add_error(errors, buf, "unknown member");
			r = -EINVAL;
		}
	}
	if (!json_is_string(sum)) {
		add_error(errors, "sha256", "missing checksum");
		r = -EINVAL;
	} else if (checksum(doc, hex) < 0) {
		return -ENOMEM;
	} else if (strcmp(hex, json_string_value(sum)) != 0) {
		add_error(errors, "sha256", "checksum does not match: the file is damaged or was edited");
		r = -EINVAL;
	}
	return r;
}

int backup_check(const char *data, size_t len, json_t *errors, struct settings **settings,
		 json_t **accounts)
{
	struct settings *s = NULL;
	const json_t *acc;
	json_error_t jerr;
	json_t *doc;
	char buf[256];
	int r;

	*settings = NULL;
	*accounts = NULL;
	if (len > BACKUP_MAX) {
		snprintf(buf, sizeof(buf), "larger than %u bytes", BACKUP_MAX);
		add_error(errors, "", buf);
		return -EINVAL;
	}
	doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(doc)) {
		snprintf(buf, sizeof(buf), "not a JSON object: line %d: %s", jerr.line,
			 doc ? "not an object" : jerr.text);
		add_error(errors, "", buf);
		json_decref(doc);
		return -EINVAL;
	}
	/* Every part is checked, so that the report names them all. */
	r = check_envelope(doc, errors);
	if (check_config(doc, errors, &s) < 0)
		r = -EINVAL;
	acc = json_object_get(doc, "accounts");
	if (!acc) {
		add_error(errors, "accounts", "missing");
		r = -EINVAL;
	} else if (auth_import_check(acc, errors) < 0)
		r = -EINVAL;
	if (r < 0) {
		settings_free(s);
		json_decref(doc);
		return r == -ENOMEM ? r : -EINVAL;
	}
	*settings = s;
	*accounts = json_incref((json_t *)acc);
	json_decref(doc);
	return 0;
}

/* state_dir and control.socket say where this daemon keeps its state and
 * answers upsgatectl: a backup from another box must not move them. */
static int keep_location(struct settings *fresh, const struct settings *running)
{
	static const enum setting_id ids[] = { SET_STATE_DIR, SET_CONTROL_SOCKET };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char *v = strdup(settings_str(running, ids[i]));

		if (!v)
			return -ENOMEM;
		free(fresh->v[ids[i]].s);
		fresh->v[ids[i]].s = v;
	}
	return 0;
}

int backup_restore(struct manager *m, struct auth *a, struct settings *settings,
		   const json_t *accounts, const char *via, const char *who)
{
	int r = keep_location(settings, m->settings);

	if (r < 0) {
		settings_free(settings);
		return r;
	}
	r = manager_apply_settings(m, settings, via, who, NULL);
	if (r < 0)
		return r;
	r = auth_import(a, accounts, via, who);
	if (r < 0) {
		log_error("backup restored via %s by %s: settings applied, accounts not: %s",
			  via, who, strerror(-r));
		return r;
	}
	evbus_emit(m->bus, "gw.config_uploaded", 0, 0,
		   "Upload configuration successfully via %s by %s", via, who);
	return 0;
}

int backup_factory_reset(struct manager *m, struct auth *a, const char *via, const char *who)
{
	struct settings *fresh;
	int r = settings_new_defaults(&fresh);

	if (r < 0)
		return r;
	r = keep_location(fresh, m->settings);
	if (r < 0) {
		settings_free(fresh);
		return r;
	}
	r = manager_apply_settings(m, fresh, via, who, NULL);
	if (r < 0)
		return r;
	r = auth_reset(a, via, who);
	if (r < 0) {
		log_error("factory reset via %s by %s: settings reset, accounts not: %s",
			  via, who, strerror(-r));
		return r;
	}
	evbus_emit(m->bus, "gw.params_reset", 0, 0, "Parameters reset to default via %s by %s", via, who);
	return 0;
}

/* The "factory_reset" action, for services that do not hold the accounts
 * (SNMP's upsAgentResetToDefault). [arg] is "VIA\tWHO". */
static int factory_reset_action(void *userdata, const char *arg, char *reply, size_t len)
{
	struct auth *a = userdata;
	char via[32] = "network";
	const char *who = arg ? strchr(arg, '\t') : NULL;
	int r;

	if (who && (size_t)(who - arg) < sizeof(via))
		snprintf(via, sizeof(via), "%.*s", (int)(who - arg), arg);
	who = who ? who + 1 : (arg ? arg : "unknown");
	r = backup_factory_reset(a->m, a, via, who);
	snprintf(reply, len, "%s", r < 0 ? strerror(-r) : "parameters reset to default");
	return r;
}

int backup_offer_actions(struct manager *m, struct auth *a)
{
	return manager_add_action(m, "factory_reset", factory_reset_action, a);
}
