/* Backups: made, checked and restored against a real manager and real
 * accounts. A backup that is damaged anywhere (any one byte), carries a
 * wrong checksum, format or version, a bad setting or a bad account
 * under a valid checksum, is refused with every reason and sets nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "settings-gen.h"

#include "auth/backup.c"

static char tmpdir[] = "/tmp/test-backup.XXXXXX";

struct seen {
	char code[32];
	char detail[160];
};

static struct seen last_event;

static void on_event(const struct event *e, void *userdata)
{
	snprintf(last_event.code, sizeof(last_event.code), "%s", e->def->code);
	snprintf(last_event.detail, sizeof(last_event.detail), "%s", e->detail);
}

static bool has_error(const json_t *errors, const char *key, const char *reason)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "key")), key) == 0 &&
		    strstr(json_string_value(json_object_get(e, "reason")), reason))
			return true;
	return false;
}

static char *errors_text(const json_t *errors)
{
	char *t = json_dumps(errors, 0);

	return t ? t : strdup("?");
}

/* The document with [edit] applied and its checksum made valid again. */
static char *resealed(const char *doc, void (*edit)(json_t *root))
{
	json_t *root = json_loads(doc, 0, NULL);
	char hex[65], *out;

	edit(root);
	checksum(root, hex);
	json_object_set_new(root, "sha256", json_string(hex));
	out = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	return out;
}

static void edit_version(json_t *root)
{
	json_object_set_new(root, "version", json_integer(2));
}

static void edit_format(json_t *root)
{
	json_object_set_new(root, "format", json_string("netvision-backup"));
}

static void edit_setting(json_t *root)
{
	const char *config = json_string_value(json_object_get(root, "config"));
	char *copy = strdup(config), *at = strstr(copy, "slave = ");

	/* "slave = 247;" (gen_settings puts the maximum) -> "slave = 300;" */
	memcpy(at + 8, "300", 3);
	json_object_set_new(root, "config", json_string(copy));
	free(copy);
}

static void edit_account(json_t *root)
{
	json_t *admin = json_array_get(json_object_get(root, "accounts"), 0);

	json_object_set_new(admin, "role", json_string("read-only"));
}

static void edit_all(json_t *root)
{
	edit_version(root);
	edit_setting(root);
	edit_account(root);
	json_object_set_new(root, "colour", json_string("red"));
}

static int check(const char *doc, size_t len, json_t *errors)
{
	struct settings *s = (struct settings *)1;
	json_t *acc = (json_t *)1;
	int r = backup_check(doc, len, errors, &s, &acc);

	if (r < 0 && (s || acc))
		return -1000;   /* something handed out on a failure */
	settings_free(s);
	json_decref(acc);
	return r;
}

static void test_make_and_check(const struct settings *want, const struct auth *a)
{
	char *doc = backup_make(want, a);
	json_t *errors = json_array(), *acc = NULL, *root;
	struct settings *got = NULL;
	int which = -1;
	char *why;

	CHECK(doc, "backup made");
	root = json_loads(doc, 0, NULL);
	CHECK(strcmp(json_string_value(json_object_get(root, "format")), "upsgate-backup") == 0 &&
	      json_integer_value(json_object_get(root, "version")) == 1 &&
	      strlen(json_string_value(json_object_get(root, "sha256"))) == 64 &&
	      json_is_string(json_object_get(root, "created")) && json_is_string(json_object_get(root, "host")),
	      "document members");
	CHECK(strstr(json_string_value(json_object_get(root, "config")), "read_community = "),
	      "the config text is the file's text");
	json_decref(root);
	CHECK(backup_check(doc, strlen(doc), errors, &got, &acc) == 0, "a fresh backup checks");
	why = errors_text(errors);
	CHECK(json_array_size(errors) == 0, "no errors: %s", why);
	free(why);
	CHECK(got && gen_all_equal(want, got, &which), "settings come back equal (%d)", which);
	CHECK(json_array_size(acc) == 1 &&
	      strcmp(json_string_value(json_object_get(json_array_get(acc, 0), "name")), "admin") == 0,
	      "accounts come back");
	settings_free(got);
	json_decref(acc);
	json_decref(errors);
	free(doc);
	printf("ok - make and check\n");
}

/* Every single flipped byte is caught. */
static void test_every_byte(const struct settings *want, const struct auth *a)
{
	char *doc = backup_make(want, a);
	size_t len = strlen(doc), missed = 0, first = 0;

	for (size_t i = 0; i < len; i++) {
		json_t *errors = json_array();

		doc[i] ^= 0x01;
		if (check(doc, len, errors) != -EINVAL || json_array_size(errors) == 0) {
			if (!missed++)
				first = i;
		}
		doc[i] ^= 0x01;
		json_decref(errors);
	}
	CHECK(missed == 0, "%zu of %zu one-byte flips accepted (first at %zu)", missed, len, first);
	free(doc);
	printf("ok - %zu one-byte corruptions refused\n", len);
}

static void test_refusals(const struct settings *want, const struct auth *a)
{
	char *doc = backup_make(want, a), *bad, *why;
	json_t *errors = json_array(), *root;
	char sum[65];
	int r;

	/* A wrong checksum that is a well-formed one. */
	root = json_loads(doc, 0, NULL);
	memset(sum, 'a', 64);
	sum[64] = '\0';
	json_object_set_new(root, "sha256", json_string(sum));
	bad = json_dumps(root, 0);
	CHECK(check(bad, strlen(bad), errors) == -EINVAL && has_error(errors, "sha256", "does not match"),
	      "wrong checksum");
	free(bad);
	json_object_del(root, "sha256");
	bad = json_dumps(root, 0);
	json_array_clear(errors);
	CHECK(check(bad, strlen(bad), errors) == -EINVAL && has_error(errors, "sha256", "missing"),
	      "no checksum");
	free(bad);
	json_decref(root);

	struct { void (*edit)(json_t *); const char *key, *reason, *what; } cases[] = {
		{ edit_version, "version", "version 2 is not supported", "a future version" },
		{ edit_format, "format", "not an upsgate backup", "another format" },
		{ edit_setting, "serial.slave", "300 is out of range", "a bad setting, valid checksum" },
		{ edit_account, "accounts[0].role", "only it, has the role admin", "a bad account, valid checksum" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = resealed(doc, cases[i].edit);
		json_array_clear(errors);
		r = check(bad, strlen(bad), errors);
		why = errors_text(errors);
		CHECK(r == -EINVAL && has_error(errors, cases[i].key, cases[i].reason) &&
		      json_array_size(errors) == 1, "%s: %s", cases[i].what, why);
		free(why);
		free(bad);
	}
	/* Everything at once: every part named. */
	bad = resealed(doc, edit_all);
	json_array_clear(errors);
	r = check(bad, strlen(bad), errors);
	why = errors_text(errors);
	CHECK(r == -EINVAL && has_error(errors, "version", "") &&
	      has_error(errors, "serial.slave", "line ") && has_error(errors, "accounts[0].role", "") &&
	      has_error(errors, "colour", "unknown member") && json_array_size(errors) == 4,
	      "four problems, four reasons: %s", why);
	free(why);
	free(bad);

	json_array_clear(errors);
	CHECK(check("not json", 8, errors) == -EINVAL && has_error(errors, "", "not a JSON object"), "not JSON");
	json_array_clear(errors);
	CHECK(check("[1]", 3, errors) == -EINVAL && has_error(errors, "", "not an object"), "an array");
	json_array_clear(errors);
	CHECK(check(doc, (2u << 20), errors) == -EINVAL && has_error(errors, "", "larger than"), "too large");
	json_decref(errors);
	free(doc);
	printf("ok - refusals with reasons\n");
}

static void test_restore_and_reset(struct manager *m, struct auth *a, const struct settings *want)
{
	char *doc = backup_make(want, a);
	json_t *errors = json_array(), *acc = NULL;
	struct settings *s = NULL;
	int which = -1;

	CHECK(backup_check(doc, strlen(doc), errors, &s, &acc) == 0, "check before restore");
	CHECK(backup_restore(m, a, s, acc, "test", "unit") == 0, "restored");
	CHECK(strcmp(last_event.code, "gw.config_uploaded") == 0 &&
	      strstr(last_event.detail, "via test by unit"), "gw.config_uploaded: %s %s",
	      last_event.code, last_event.detail);
	/* state_dir and control.socket stay those of the running daemon. */
	CHECK(strcmp(settings_str(m->settings, SET_STATE_DIR), tmpdir) == 0, "state_dir kept");
	CHECK(settings_equal(m->settings, want, SET_SNMP_USERS) && settings_equal(m->settings, want, SET_SERIAL_SLAVE),
	      "settings applied");
	for (int i = 0; i < _SET_COUNT; i++)
		if (i != SET_STATE_DIR && i != SET_CONTROL_SOCKET && !settings_equal(m->settings, want, i))
			which = i;
	CHECK(which < 0, "every other key restored (%d)", which);
	json_decref(acc);

	CHECK(backup_factory_reset(m, a, "test", "unit") == 0, "factory reset");
	CHECK(strcmp(last_event.code, "gw.params_reset") == 0, "gw.params_reset (%s)", last_event.code);
	CHECK(settings_int(m->settings, SET_SERIAL_SLAVE) == 1 &&
	      settings_list(m->settings, SET_SNMP_USERS)->n == 0, "defaults back");
	CHECK(strcmp(settings_str(m->settings, SET_STATE_DIR), tmpdir) == 0, "state_dir kept by the reset");
	json_decref(errors);
	free(doc);
	printf("ok - restore and factory reset\n");
}

int main(void)
{
	struct settings *base, *want;
	struct manager *m = NULL;
	struct auth *a = NULL;
	struct event_sub *sub = NULL;
	char path[128], cmd[160];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	log_setup("test-backup", LOG_WARNING);
	manager_block_signals();
	settings_new_defaults(&base);
	free(base->v[SET_STATE_DIR].s);
	base->v[SET_STATE_DIR].s = strdup(tmpdir);
	snprintf(path, sizeof(path), "%s/upsgate.conf", tmpdir);
	settings_save(base, path);
	CHECK(manager_new(&m, base, path) == 0, "manager");
	CHECK(auth_start(&a, m) == 0, "accounts");
	evbus_subscribe(m->bus, &(struct event_filter) { 0 }, on_event, NULL, &sub);

	want = gen_settings(-1, 2);
	free(want->v[SET_LOG_LEVEL].s);
	want->v[SET_LOG_LEVEL].s = strdup("error");     /* a quiet test */
	free(want->v[SET_STATE_DIR].s);
	want->v[SET_STATE_DIR].s = strdup(tmpdir);
	test_make_and_check(want, a);
	test_every_byte(want, a);
	test_refusals(want, a);
	test_restore_and_reset(m, a, want);

	settings_free(want);
	evbus_unsubscribe(m->bus, sub);
	manager_drain_jobs(m);
	auth_stop(a);
	manager_free(m);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return failures ? 1 : 0;
}
