/* MIB-II system group (RFC 3418) from the settings: sysName, sysContact
 * and sysLocation are the system.* settings, writable with the write
 * community or a read-write v3 user; sysObjectID is snmp.sys_object_id. */
#include "snmp/mib_system.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "snmp/agent.h"

#define SYS_OID 1, 3, 6, 1, 2, 1, 1
/* Layers 4 (end-to-end) and 7 (applications): 8 + 64. */
#define SYS_SERVICES 72

/* "1.3.6.1.4.1.4555.1.1.1" -> OID; the setting's syntax check already
 * passed, so only an empty result is possible on nonsense. */
static size_t parse_oid(const char *text, mib_oid *out, size_t max)
{
	const char *p = *text == '.' ? text + 1 : text;
	size_t n = 0;

	while (*p && n < max) {
		char *end;
		unsigned long x = strtoul(p, &end, 10);

		if (end == p || x > UINT32_MAX)
			return 0;
		out[n++] = (mib_oid)x;
		if (*end != '.')
			return *end ? 0 : n;
		p = end + 1;
	}
	return *p ? 0 : n;
}

static enum setting_id setting_of(const struct mib_set *set)
{
	if (set == &mib_set_system_contact)
		return SET_SYSTEM_CONTACT;
	if (set == &mib_set_system_location)
		return SET_SYSTEM_LOCATION;
	return SET_SYSTEM_NAME;
}

/* The settings as they would be with [v] in [id]: NULL and [why] when
 * the value is refused. */
static struct settings *patched(const struct settings *base, enum setting_id id,
				const struct mib_value *v, const char **why)
{
	json_t *patch = json_object(), *errors = json_array();
	struct settings *fresh = NULL;

	*why = "out of memory";
	if (patch && errors &&
	    json_object_set_new(patch, settings_schema[id].key, json_stringn(v->s, v->len)) == 0 &&
	    settings_patch(base, patch, errors, &fresh) < 0)
		*why = "refused by the settings check";
	json_decref(patch);
	json_decref(errors);
	return fresh;
}

/* DisplayString (RFC 2579): printable ASCII, at most the setting's length. */
static int check_display(const struct mib_value *v, enum setting_id id, const char **why)
{
	if (v->len > (size_t)settings_schema[id].max) {
		*why = "too long for the setting";
		return -EMSGSIZE;
	}
	for (size_t i = 0; i < v->len; i++)
		if ((unsigned char)v->s[i] < 0x20 || (unsigned char)v->s[i] > 0x7e) {
			*why = "a DisplayString holds printable ASCII only";
			return -EINVAL;
		}
	return 0;
}

static int check_setting(struct snmp_ctx *ctx, const struct mib_name *name,
			 const struct mib_value *v, const char **why, const struct mib_set *set)
{
	enum setting_id id = setting_of(set);
	struct settings *fresh;
	int r = check_display(v, id, why);

	if (r < 0)
		return r;
	fresh = patched(ctx->m->settings, id, v, why);
	if (!fresh)
		return -EINVAL;
	settings_free(fresh);
	return 0;
}

static int apply_setting(struct snmp_ctx *ctx, const struct mib_value *v, const struct mib_set *set)
{
	const char *why = NULL;
	struct settings *fresh = patched(ctx->m->settings, setting_of(set), v, &why);
	int r;

	if (!fresh) {
		log_error("snmp: %s: %s", settings_schema[setting_of(set)].key, why);
		return -EINVAL;
	}
	r = manager_apply_settings(ctx->m, fresh, "SNMP", ctx->who, NULL);
	if (r < 0)
		log_error("snmp: %s not saved: %s", settings_schema[setting_of(set)].key, strerror(-r));
	return r;
}

#define SETTING_SET(var) \
	static int check_##var(struct snmp_ctx *c, const struct mib_name *n, \
			       const struct mib_value *v, const char **why) \
	{ return check_setting(c, n, v, why, &mib_set_##var); } \
	static int apply_##var(struct snmp_ctx *c, const struct mib_name *n, const struct mib_value *v) \
	{ return apply_setting(c, v, &mib_set_##var); } \
	const struct mib_set mib_set_##var = { MIB_OCTETS, check_##var, apply_##var };

SETTING_SET(system_name)
SETTING_SET(system_contact)
SETTING_SET(system_location)

static void add_setting(struct mib_builder *b, mib_oid index, const struct settings *s,
			enum setting_id id, const struct mib_set *set)
{
	const mib_oid name[] = { SYS_OID, index, 0 };
	struct mib_value v = { .type = MIB_OCTETS };
	const char *text = settings_str(s, id);

	v.len = strnlen(text, MIB_STRING_MAX - 1);
	memcpy(v.s, text, v.len);
	mib_add(b, name, sizeof(name) / sizeof(name[0]), &v, set);
}

void mib_build_system(struct mib_builder *b, const struct mib_source *src)
{
	static const mib_oid descr[] = { SYS_OID, 1, 0 }, object_id[] = { SYS_OID, 2, 0 },
		uptime[] = { SYS_OID, 3, 0 }, services[] = { SYS_OID, 7, 0 },
		or_last_change[] = { SYS_OID, 8, 0 };
	const struct snapshot *snap = src->snap;
	mib_oid oid[MIB_OID_MAX];
	size_t n = parse_oid(settings_str(src->settings, SET_SNMP_SYS_OBJECT_ID), oid, MIB_OID_MAX);
	char text[MIB_STRING_MAX];

	if (snap && snap->id.range[0])
		snprintf(text, sizeof(text), "upsgate %s on %s", PACKAGE_VERSION, snap->id.range);
	else
		snprintf(text, sizeof(text), "upsgate %s on a device not identified yet", PACKAGE_VERSION);
	mib_add_string(b, descr, 9, text);
	if (n >= 2)
		mib_add_oid(b, object_id, 9, oid, n);
	mib_add_int(b, uptime, 9, MIB_TIMETICKS, (long long)src->uptime_cs);
	add_setting(b, 4, src->settings, SET_SYSTEM_CONTACT, &mib_set_system_contact);
	add_setting(b, 5, src->settings, SET_SYSTEM_NAME, &mib_set_system_name);
	add_setting(b, 6, src->settings, SET_SYSTEM_LOCATION, &mib_set_system_location);
	mib_add_int(b, services, 9, MIB_INTEGER, SYS_SERVICES);
	mib_add_int(b, or_last_change, 9, MIB_TIMETICKS, 0);
}
