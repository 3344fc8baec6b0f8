/* SETs on the writable objects of the Socomec MIBs. Settings go through
 * the one schema and manager_apply_settings (saved, logged "via SNMP by
 * <who>"); agent actions (restart, clear logs, reset) act once the
 * request is answered; UPS controls, shutdown and schedule settings do
 * not exist yet and refuse every SET (commitFailed, the reason logged by
 * the agent): never a fake success. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "snmp/agent.h"
#include "snmp/mib_values.h"

static const struct mib_objects *const mib_all[] = { &mib_nv7, &mib_nvlegacy, &mib_sts };

/* The object an instance name belongs to (its row index aside). */
static const struct mib_object *mib_object_of(const struct mib_name *name)
{
	for (size_t t = 0; t < sizeof(mib_all) / sizeof(mib_all[0]); t++) {
		const struct mib_objects *m = mib_all[t];

		if (name->len <= m->len || memcmp(name->id, m->base, m->len * sizeof(mib_oid)))
			continue;
		for (size_t i = 0; i < m->n; i++) {
			const struct mib_object *o = &m->objects[i];

			if (name->len == m->len + o->len + 1 &&
			    memcmp(name->id + m->len, o->sub, o->len * sizeof(mib_oid)) == 0)
				return o;
		}
	}
	return NULL;
}

static bool printable(const struct mib_value *v)
{
	for (size_t i = 0; i < v->len; i++)
		if ((unsigned char)v->s[i] < 0x20 || (unsigned char)v->s[i] > 0x7e)
			return false;
	return true;
}

/* The schema's own checks, with a reason for people. */
static int setting_check(struct snmp_ctx *ctx, const struct mib_name *name,
			 const struct mib_value *v, const char **why)
{
	const struct mib_object *o = mib_object_of(name);
	const struct setting_def *d;
	double x;

	(void)ctx;
	if (!o || o->action != MACT_SETTING) {
		*why = "not a writable setting";
		return -EINVAL;
	}
	d = &settings_schema[o->arg];
	if (d->type == ST_STRING) {
		if (v->type != MIB_OCTETS || v->len > (size_t)d->max || v->len < (size_t)d->min) {
			*why = "text of the wrong length for this setting";
			return -EMSGSIZE;
		}
		if (!printable(v)) {
			*why = "only printable ASCII characters are accepted";
			return -EINVAL;
		}
		return 0;
	}
	x = (double)v->i * (o->src == MSRC_SETTING_MINUTES ? 60 : 1);
	if (v->type != MIB_INTEGER || x < d->min || x > d->max) {
		*why = "value out of the setting's range";
		return -ERANGE;
	}
	return 0;
}

static int setting_apply(struct snmp_ctx *ctx, const struct mib_name *name,
			 const struct mib_value *v)
{
	const struct mib_object *o = mib_object_of(name);
	json_t *patch = json_object(), *errors = json_array(), *j = NULL;
	struct settings *fresh = NULL;
	const struct setting_def *d;
	int r = -ENOMEM;

	if (!o || !patch || !errors)
		goto done;
	d = &settings_schema[o->arg];
	if (d->type == ST_STRING)
		j = json_stringn(v->s, v->len);
	else if (d->type == ST_DOUBLE)
		j = json_real((double)v->i);
	else
		j = json_integer(v->i * (o->src == MSRC_SETTING_MINUTES ? 60 : 1));
	if (!j || json_object_set_new(patch, d->key, j) < 0)
		goto done;
	r = settings_patch(ctx->m->settings, patch, errors, &fresh);
	if (r < 0) {
		log_warning("snmp: SET %s by %s refused by the settings schema", d->key, ctx->who);
		goto done;
	}
	r = manager_apply_settings(ctx->m, fresh, "SNMP", ctx->who, NULL);
done:
	json_decref(patch);
	json_decref(errors);
	return r;
}

static int unavailable_check(struct snmp_ctx *ctx, const struct mib_name *name,
			     const struct mib_value *v, const char **why)
{
	const struct mib_object *o = mib_object_of(name);

	(void)ctx, (void)v;
	if (o && o->action == MACT_CONTROL)
		*why = "controls are not available yet";
	else
		*why = "shutdown and schedule settings are not available yet";
	return -ENOTSUP;
}

static int unavailable_apply(struct snmp_ctx *ctx, const struct mib_name *name,
			     const struct mib_value *v)
{
	(void)ctx, (void)name, (void)v;
	return -ENOTSUP;        /* never reached: the check refuses */
}

/* The agent actions take one value (restart(1), clear(1), reset(1)). */
static int action_check(struct snmp_ctx *ctx, const struct mib_name *name,
			const struct mib_value *v, const char **why)
{
	const struct mib_object *o = mib_object_of(name);
	bool offered = false;

	if (!o || v->type != MIB_INTEGER || (v->i != 1 && v->i != 2)) {
		*why = "the value must be 1 (act) or 2 (nothing)";
		return -EINVAL;
	}
	if (v->i == 2)
		return 0;
	switch (o->action) {
	case MACT_RESET:
		for (size_t i = 0; i < ctx->m->n_actions; i++)
			offered |= strcmp(ctx->m->actions[i].name, "factory_reset") == 0;
		if (!offered) {
			*why = "reset to default is not offered to SNMP (it needs the accounts service)";
			return -ENOTSUP;
		}
		return 0;
	case MACT_CLEAR_GATEWAY:
	case MACT_CLEAR_DEVICE:
	case MACT_CLEAR_EXTENDED:
	case MACT_CLEAR_HISTORY:
		if (!ctx->store) {
			*why = "the logs are not available";
			return -ENOTSUP;
		}
		return 0;
	default:
		return 0;
	}
}

static int restart_now(sd_event_source *s, void *userdata)
{
	(void)s;
	manager_request_restart(userdata);
	return 0;
}

static int action_apply(struct snmp_ctx *ctx, const struct mib_name *name,
			const struct mib_value *v)
{
	static const enum store_log logs[] = {
		[MACT_CLEAR_GATEWAY] = STORE_GATEWAY_EVENTS, [MACT_CLEAR_DEVICE] = STORE_DEVICE_EVENTS,
		[MACT_CLEAR_EXTENDED] = STORE_EXTENDED, [MACT_CLEAR_HISTORY] = STORE_HISTORY,
	};
	const struct mib_object *o = mib_object_of(name);
	char reply[128];

	if (!o || v->i != 1)
		return 0;
	switch (o->action) {
	case MACT_RESTART:
		/* After the response: a floating one-shot source of the loop. */
		log_notice("snmp: agent restart requested by %s", ctx->who);
		return sd_event_add_defer(ctx->m->event, NULL, restart_now, ctx->m);
	case MACT_RESET: {
		char arg[sizeof(ctx->who) + 8];

		/* The action's argument is "VIA\tWHO" (auth/backup.h). */
		snprintf(arg, sizeof(arg), "SNMP\t%s", ctx->who);
		return manager_action(ctx->m, "factory_reset", arg, reply, sizeof(reply));
	}
	case MACT_CLEAR_GATEWAY:
	case MACT_CLEAR_DEVICE:
	case MACT_CLEAR_EXTENDED:
	case MACT_CLEAR_HISTORY:
		return store_clear(ctx->store, logs[o->action], ctx->who);
	default:
		return -ENOTSUP;
	}
}

static const struct mib_set set_string = { MIB_OCTETS, setting_check, setting_apply };
static const struct mib_set set_int = { MIB_INTEGER, setting_check, setting_apply };
static const struct mib_set set_action = { MIB_INTEGER, action_check, action_apply };
static const struct mib_set set_unavailable_int = { MIB_INTEGER, unavailable_check, unavailable_apply };
static const struct mib_set set_unavailable_text = { MIB_OCTETS, unavailable_check, unavailable_apply };

const struct mib_set *mib_set_for(const struct mib_object *o)
{
	switch (o->action) {
	case MACT_SETTING:
		return o->type == MIB_OCTETS ? &set_string : &set_int;
	case MACT_CONTROL:
	case MACT_SHUTDOWN:
	case MACT_SHUTDOWN_SWITCH:
	case MACT_SCHEDULE_DAY:
		return &set_unavailable_int;
	case MACT_SCHEDULE_TIME:
		return &set_unavailable_text;
	default:
		return &set_action;
	}
}
