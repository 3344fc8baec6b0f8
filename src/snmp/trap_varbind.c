/* The varbinds of a notification: the objects the trap table names, with
 * their values from the agent's view (as a GET would read them at that
 * moment), the alarm entry of traps 3/4 and the text varbind. */
#include <stdio.h>
#include <string.h>

#include "snmp/trap_priv.h"

#define TRAP_ALARM_SCAN_MAX 256         /* rows of an alarm table searched */

static void name_make(struct mib_name *out, const struct trap_varbind_def *vb, mib_oid last)
{
	memcpy(out->id, vb->oid, vb->len * sizeof(mib_oid));
	out->id[vb->len] = last;
	out->len = vb->len + 1;
}

static bool alarm_descr(struct mib_value *v, enum trap_mib mib, uint8_t index)
{
	const struct trap_alarm_tree *t = &trap_alarm_trees[mib];

	if (!t->len || t->len >= MIB_OID_MAX)
		return false;
	v->type = MIB_OBJECT_ID;
	memcpy(v->oid, t->base, t->len * sizeof(mib_oid));
	v->oid[t->len] = index;
	v->len = t->len + 1;
	return true;
}

static void text_value(struct mib_value *v, const struct trap_note *n)
{
	int len;

	v->type = MIB_OCTETS;
	if (n->text && strcmp(n->text, n->def->text) != 0)
		len = snprintf(v->s, sizeof(v->s), "%s: %s", n->def->text, n->text);
	else
		len = snprintf(v->s, sizeof(v->s), "%s", n->def->text);
	v->len = len < 0 ? 0 : (size_t)len < sizeof(v->s) ? (size_t)len : sizeof(v->s) - 1;
}

size_t trap_varbinds(const struct trap_note *n, uint32_t alarm_id, trap_lookup_fn lookup,
		     void *ctx, struct trap_varbind *out, size_t max)
{
	size_t count = 0;

	for (size_t i = 0; n->def->varbinds[i] && count < max; i++) {
		const struct trap_varbind_def *vb = n->def->varbinds[i];
		struct trap_varbind *o = &out[count];
		const struct mib_value *v;

		memset(o, 0, sizeof(*o));
		switch (vb->kind) {
		case TVB_VIEW:
			name_make(&o->name, vb, 0);
			v = lookup ? lookup(ctx, o->name.id, o->name.len) : NULL;
			if (!v)
				continue;
			o->value = *v;
			break;
		case TVB_ALARM_ID:
			name_make(&o->name, vb, alarm_id);
			o->value.type = MIB_INTEGER;
			o->value.i = alarm_id;
			break;
		case TVB_ALARM_DESCR:
			name_make(&o->name, vb, alarm_id);
			if (!alarm_descr(&o->value, n->def->mib, n->alarm))
				continue;
			break;
		case TVB_TEXT:
			name_make(&o->name, vb, 0);
			text_value(&o->value, n);
			break;
		}
		count++;
	}
	return count;
}

uint32_t trap_view_alarm_id(enum trap_mib mib, uint8_t index, trap_next_fn next, void *ctx)
{
	const struct trap_def *d = trap_def_find(mib, NVTRAP_ALARM_ADDED);
	const struct trap_varbind_def *descr = NULL;
	struct mib_value want;
	struct mib_name root, at;

	if (!d || !next || !alarm_descr(&want, mib, index))
		return 0;
	for (size_t i = 0; d->varbinds[i]; i++)
		if (d->varbinds[i]->kind == TVB_ALARM_DESCR)
			descr = d->varbinds[i];
	if (!descr)
		return 0;
	memcpy(root.id, descr->oid, descr->len * sizeof(mib_oid));
	root.len = descr->len;
	at = root;
	for (size_t i = 0; i < TRAP_ALARM_SCAN_MAX; i++) {
		const struct mib_value *v = next(ctx, at.id, at.len, &root, &at);

		if (!v)
			break;
		if (v->type == MIB_OBJECT_ID && v->len == want.len &&
		    memcmp(v->oid, want.oid, want.len * sizeof(mib_oid)) == 0 && at.len == root.len + 1)
			return at.id[root.len];
	}
	return 0;
}
