/* Settings as JSON: values (secrets masked), the schema for forms, and
 * patches: every problem reported with its key, nothing applied unless
 * all of the patch is valid, "********" keeps a secret. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "settings-gen.h"

/* The errors of a rejected patch, as "key: reason" lines. */
static char *error_text(const json_t *errors)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	json_t *e;

	json_array_foreach(errors, i, e)
		fprintf(f, "%s: %s\n", json_string_value(json_object_get(e, "key")),
			json_string_value(json_object_get(e, "reason")));
	fclose(f);
	return text;
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

static void test_to_json(void)
{
	struct settings *s = gen_settings(-1, 2);
	json_t *masked = settings_to_json(s, false), *clear = settings_to_json(s, true);
	const json_t *users = json_object_get(masked, "snmp.users");

	CHECK(json_object_size(masked) == _SET_COUNT, "every key (%zu)", json_object_size(masked));
	CHECK(strcmp(json_string_value(json_object_get(masked, "snmp.read_community")), "********") == 0,
	      "a secret is masked");
	CHECK(strcmp(json_string_value(json_object_get(clear, "snmp.read_community")),
		     settings_str(s, SET_SNMP_READ_COMMUNITY)) == 0, "reveal shows it");
	CHECK(json_is_array(users) && json_array_size(users) == 2, "a list is an array");
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(users, 0), "auth_password")),
		     "********") == 0, "a secret inside a list entry is masked");
	CHECK(json_is_real(json_object_get(masked, "serial.poll_interval")), "a double is a JSON real");
	CHECK(json_is_integer(json_object_get(masked, "http.port")), "an int is a JSON integer");
	CHECK(json_is_boolean(json_object_get(masked, "http.enabled")), "a bool is a JSON boolean");
	json_decref(masked);
	json_decref(clear);
	settings_free(s);
	printf("ok - settings_to_json\n");
}

static void test_schema_json(void)
{
	json_t *schema = settings_schema_json(), *e;
	unsigned bad = 0;
	size_t i;

	CHECK(json_is_array(schema) && json_array_size(schema) == _SET_COUNT, "one entry per key");
	json_array_foreach(schema, i, e) {
		const struct setting_def *d = &settings_schema[i];
		const char *type = json_string_value(json_object_get(e, "type"));

		if (strcmp(json_string_value(json_object_get(e, "key")), d->key) != 0 || !type ||
		    !json_is_boolean(json_object_get(e, "secret")) ||
		    !json_is_boolean(json_object_get(e, "restart")) ||
		    !json_is_string(json_object_get(e, "help")) || !json_object_get(e, "default"))
			bad++;
		if ((d->type == ST_INT || d->type == ST_DOUBLE) &&
		    (json_number_value(json_object_get(e, "min")) != d->min ||
		     json_number_value(json_object_get(e, "max")) != d->max))
			bad++;
		if (d->type == ST_ENUM && !json_is_array(json_object_get(e, "choices")))
			bad++;
		if (d->type == ST_LIST && json_array_size(json_object_get(e, "items")) != d->n_item)
			bad++;
		if (d->type == ST_INT && !json_is_integer(json_object_get(e, "default")))
			bad++;
	}
	CHECK(bad == 0, "%u malformed schema entries", bad);
	e = json_array_get(schema, SET_SERIAL_BAUD);
	CHECK(strcmp(json_string_value(json_object_get(e, "type")), "enum") == 0 &&
	      json_array_size(json_object_get(e, "choices")) == 5, "serial.baud choices");
	e = json_array_get(schema, SET_FIREWALL_RULES);
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(json_object_get(e, "items"), 0), "key")),
		     "address") == 0, "firewall.rules items");
	CHECK(json_is_true(json_object_get(json_array_get(schema, SET_HTTP_PORT), "restart")), "http.port restart");
	json_decref(schema);
	printf("ok - settings_schema_json\n");
}

/* Whatever settings_to_json gives, a patch takes back: in clear onto
 * defaults, and masked onto the same settings (secrets kept). */
static void test_patch_round_trip(void)
{
	struct settings *want = gen_settings(-1, 3), *base, *got = NULL;
	json_t *clear = settings_to_json(want, true), *masked = settings_to_json(want, false);
	json_t *errors = json_array();
	int which = -1;
	char *why;

	settings_new_defaults(&base);
	CHECK(settings_patch(base, clear, errors, &got) == 0 && gen_all_equal(want, got, &which),
	      "clear JSON onto defaults gives the same settings (%d)", which);
	settings_free(got);
	got = NULL;
	CHECK(settings_patch(want, masked, errors, &got) == 0 && gen_all_equal(want, got, &which),
	      "masked JSON onto the same settings keeps every secret (%s)",
	      which >= 0 ? settings_schema[which].key : "-");
	why = error_text(errors);
	CHECK(json_array_size(errors) == 0, "no errors: %s", why);
	free(why);
	settings_free(got);
	settings_free(base);
	settings_free(want);
	json_decref(clear);
	json_decref(masked);
	json_decref(errors);
	printf("ok - patch round trips\n");
}

static void test_patch_values(void)
{
	struct settings *base, *got = NULL;
	json_t *errors = json_array();
	json_t *p = json_pack("{s:i, s:i, s:s, s:s, s:s, s:b}", "serial.baud", 9600,
			      "serial.poll_interval", 3, "snmp.read_community", "********",
			      "snmp.write_community", "n3w", "system.name", "", "http.enabled", 0);

	settings_new_defaults(&base);
	CHECK(settings_patch(base, p, errors, &got) == 0 && got, "valid patch");
	if (got) {
		CHECK(strcmp(settings_str(got, SET_SERIAL_BAUD), "9600") == 0, "an enum from an integer");
		CHECK(settings_double(got, SET_SERIAL_POLL_INTERVAL) == 3.0, "a double from an integer");
		CHECK(strcmp(settings_str(got, SET_SNMP_READ_COMMUNITY), "public") == 0, "******** keeps");
		CHECK(strcmp(settings_str(got, SET_SNMP_WRITE_COMMUNITY), "n3w") == 0, "a new secret");
		CHECK(!settings_bool(got, SET_HTTP_ENABLED), "a bool");
		CHECK(strcmp(settings_str(got, SET_SERIAL_DEVICE), "/dev/ttyUSB0") == 0, "others untouched");
	}
	settings_free(got);
	settings_free(base);
	json_decref(p);
	json_decref(errors);
	printf("ok - patch values\n");
}

/* One patch with every kind of mistake: all reported, nothing applied. */
static void test_patch_rejections(void)
{
	struct settings *base, *got = (struct settings *)1;
	json_t *errors = json_array();
	json_t *p = json_loads(
		"{\"serial.colour\": 1,"
		" \"http.port\": \"80\","
		" \"serial.slave\": 300,"
		" \"serial.poll_interval\": 0.01,"
		" \"serial.baud\": \"fast\","
		" \"serial.map\": 2,"
		" \"system.name\": \"0123456789012345678901234567890123456789012345678901234567890123456789\","
		" \"http.enabled\": \"yes\","
		" \"auth.radius.users\": {\"name\": \"x\"},"
		" \"firewall.rules\": ["
		"   {\"address\": \"10.0.0.0\", \"prefix\": 40, \"action\": \"reject\"},"
		"   {\"address\": \"nope\"},"
		"   {\"address\": \"::1\", \"colour\": \"red\"},"
		"   {\"prefix\": 8},"
		"   \"10.0.0.0/8\"],"
		" \"snmp.users\": [{\"name\": \"new\", \"auth_password\": \"********\"}],"
		" \"snmp.receivers\": [{},{},{},{},{},{},{},{},{}]}", 0, NULL);
	json_t *nul = json_pack("{s:s%}", "system.name", "a\0b", (size_t)3);
	char *why;

	settings_new_defaults(&base);
	CHECK(p, "test patch parses");
	CHECK(settings_patch(base, p, errors, &got) == -EINVAL && got == NULL, "rejected, nothing returned");
	why = error_text(errors);
	CHECK(has_error(errors, "serial.colour", "unknown setting"), "unknown key:\n%s", why);
	CHECK(has_error(errors, "http.port", "must be an integer"), "wrong type");
	CHECK(has_error(errors, "serial.slave", "300 is out of range (1 to 247)"), "int range");
	CHECK(has_error(errors, "serial.poll_interval", "out of range"), "double range");
	CHECK(has_error(errors, "serial.baud", "must be one of: auto, 2400"), "bad enum");
	CHECK(has_error(errors, "serial.map", "must be one of"), "an integer not among the choices");
	CHECK(has_error(errors, "system.name", "length must be 0 to 63"), "too long");
	CHECK(has_error(errors, "http.enabled", "true or false"), "bool");
	CHECK(has_error(errors, "auth.radius.users", "must be a list"), "list type");
	CHECK(has_error(errors, "firewall.rules[0]", "prefix must be 0 to 32"), "item_check");
	CHECK(has_error(errors, "firewall.rules[1].address", "IPv4 or IPv6"), "item syntax");
	CHECK(has_error(errors, "firewall.rules[2].colour", "unknown setting"), "unknown item field");
	CHECK(has_error(errors, "firewall.rules[3]", "address is required"), "naming field required");
	CHECK(has_error(errors, "firewall.rules[4]", "must be an object"), "entry type");
	CHECK(has_error(errors, "snmp.users[0].auth_password", "no current value"),
	      "******** for a secret nobody had");
	CHECK(has_error(errors, "snmp.receivers", "at most 8 entries"), "list size");
	CHECK(json_array_size(errors) == 16, "16 errors, one per mistake (%zu):\n%s",
	      json_array_size(errors), why);
	free(why);
	CHECK(settings_int(base, SET_SERIAL_SLAVE) == 1, "the base is untouched");

	json_array_clear(errors);
	got = (struct settings *)1;
	CHECK(settings_patch(base, nul, errors, &got) == -EINVAL && !got &&
	      has_error(errors, "system.name", "NUL"), "a NUL in a string refused");
	json_array_clear(errors);
	CHECK(settings_patch(base, json_array_get(json_object_get(p, "firewall.rules"), 4), errors, &got) == -EINVAL &&
	      json_array_size(errors) == 1, "a patch that is not an object");
	settings_free(base);
	json_decref(p);
	json_decref(nul);
	json_decref(errors);
	printf("ok - patch rejections\n");
}

/* A masked secret in a list entry is taken from the entry of the same
 * name, wherever it moved. */
static void test_patch_list_secrets(void)
{
	struct settings *base, *got = NULL;
	json_t *errors = json_array();
	json_t *p = json_loads("{\"snmp.users\": ["
			       "{\"name\": \"bob\", \"auth_password\": \"bobbobbob\", \"priv_password\": \"bobprivbob\"},"
			       "{\"name\": \"amy\", \"auth_password\": \"amyamyamy\", \"priv_password\": \"amyprivamy\"}]}",
			       0, NULL);
	json_t *q = json_loads("{\"snmp.users\": ["
			       "{\"name\": \"amy\", \"auth_password\": \"********\", \"priv_password\": \"********\"},"
			       "{\"name\": \"bob\", \"auth_password\": \"********\", \"priv_password\": \"********\","
			       " \"level\": \"read-write\"}]}", 0, NULL);
	char *why;
	int r;

	settings_new_defaults(&base);
	CHECK(settings_patch(base, p, errors, &got) == 0, "two users");
	settings_free(base);
	base = got;
	got = NULL;
	r = base ? settings_patch(base, q, errors, &got) : -EINVAL;
	why = error_text(errors);
	CHECK(r == 0, "reordered with masks: %s", why);
	free(why);
	if (got) {
		CHECK(strcmp(settings_item(got, SET_SNMP_USERS, 0, 3)->s, "amyamyamy") == 0, "amy's kept");
		CHECK(strcmp(settings_item(got, SET_SNMP_USERS, 1, 3)->s, "bobbobbob") == 0, "bob's kept");
		CHECK(strcmp(settings_item(got, SET_SNMP_USERS, 1, 1)->s, "read-write") == 0, "bob's level");
		CHECK(strcmp(settings_item(got, SET_SNMP_USERS, 0, 5)->s, "amyprivamy") == 0, "amy's priv kept");
	}
	settings_free(base);
	settings_free(got);
	json_decref(p);
	json_decref(q);
	json_decref(errors);
	printf("ok - list secrets follow their entry\n");
}

int main(void)
{
	test_to_json();
	test_schema_json();
	test_patch_round_trip();
	test_patch_values();
	test_patch_rejections();
	test_patch_list_secrets();
	return failures ? 1 : 0;
}
