/* One net-snmp handler per mib_roots[] entry, answering from the view:
 * GET is an exact lookup, GETNEXT (and GETBULK, which net-snmp turns
 * into GETNEXTs) the next instance below the root; SET checks in
 * RESERVE1 and applies in COMMIT through the object's struct mib_set.
 * The view is rebuilt lazily: at the first request after a new snapshot,
 * a reload or an alarm change. */
#include "snmp/agent_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

static const mib_oid sys_uptime_0[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };

uint64_t agent_uptime_cs(const struct snmp_agent *a)
{
	return (agent_now_usec() - a->start_usec) / 10000u;
}

struct mib_view *agent_view(struct snmp_agent *a)
{
	const struct snapshot *snap = manager_latest(a->m);
	const struct settings *s = a->m->settings;
	uint64_t seq = snap ? snap->seq : 0;
	struct mib_view *v = NULL;
	struct mib_source src = {
		.snap = snap,
		.settings = s,
		.data_unit = (unsigned)settings_int(s, SET_SYSTEM_DATA_UNIT),
		.uptime_cs = agent_uptime_cs(a),
		.active = a->alarms,
		.n_active = a->n_alarms,
		.on_battery_since = a->on_battery_since,
		.started = a->started,
		.input_line_bads = a->input_line_bads,
	};
	int r;

	if (a->view && !a->view_stale && seq == a->view_seq)
		return a->view;
	r = mib_view_build(&v, &src);
	if (r < 0) {
		log_error("snmp: cannot build the MIB view: %s", strerror(-r));
		return a->view;         /* the last good one, if any */
	}
	mib_view_free(a->view);
	a->view = v;
	a->view_seq = seq;
	a->view_stale = false;
	return v;
}

int snmp_set_status(int err)
{
	switch (err) {
	case 0: return SNMP_ERR_NOERROR;
	case -EINVAL: case -ERANGE: return SNMP_ERR_WRONGVALUE;
	case -EMSGSIZE: return SNMP_ERR_WRONGLENGTH;
	case -EBUSY: case -EEXIST: return SNMP_ERR_INCONSISTENTVALUE;
	case -EACCES: case -EPERM: return SNMP_ERR_NOACCESS;
	case -ENOSPC: case -ENOMEM: case -EAGAIN: return SNMP_ERR_RESOURCEUNAVAILABLE;
	default: return SNMP_ERR_COMMITFAILED;
	}
}

/* ---- values between the view and net-snmp --------------------------------- */

static bool name_from(const oid *in, size_t len, struct mib_name *out)
{
	if (len > MIB_OID_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (in[i] > UINT32_MAX)
			return false;
		out->id[i] = (mib_oid)in[i];
	}
	out->len = len;
	return true;
}

static void name_to(const mib_oid *in, size_t len, oid *out)
{
	for (size_t i = 0; i < len; i++)
		out[i] = in[i];
}

static void name_text(const mib_oid *id, size_t len, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && off + 1 < size; i++) {
		int n = snprintf(buf + off, size - off, ".%" PRIu32, id[i]);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

static int put_value(netsnmp_variable_list *vb, const struct mib_value *v)
{
	oid tmp[MIB_OID_MAX];
	long l;
	u_long u;

	switch (v->type) {
	case MIB_INTEGER:
		l = (long)v->i;
		return snmp_set_var_typed_value(vb, ASN_INTEGER, &l, sizeof(l));
	case MIB_COUNTER32:
	case MIB_GAUGE32:
	case MIB_TIMETICKS:
		u = v->i < 0 ? 0 : (u_long)(v->i > UINT32_MAX ? UINT32_MAX : v->i);
		return snmp_set_var_typed_value(vb, (u_char)v->type, &u, sizeof(u));
	case MIB_OCTETS:
		return snmp_set_var_typed_value(vb, ASN_OCTET_STR, v->s, v->len);
	case MIB_IPADDRESS:
		return snmp_set_var_typed_value(vb, ASN_IPADDRESS, v->s, 4);
	case MIB_OBJECT_ID:
		name_to(v->oid, v->len, tmp);
		return snmp_set_var_typed_value(vb, ASN_OBJECT_ID, tmp, v->len * sizeof(oid));
	}
	return SNMPERR_GENERR;
}

/* sysUpTime moves between views: always the agent's uptime now. */
static void answer(struct snmp_agent *a, netsnmp_variable_list *vb, const struct mib_name *name,
		   const struct mib_value *v)
{
	struct mib_value up;

	if (name->len == OID_LENGTH(sys_uptime_0) &&
	    memcmp(name->id, sys_uptime_0, sizeof(sys_uptime_0)) == 0) {
		up = (struct mib_value){ .type = MIB_TIMETICKS, .i = (long long)agent_uptime_cs(a) };
		v = &up;
	}
	put_value(vb, v);
}

static void serve_get(struct snmp_agent *a, struct mib_view *view, netsnmp_agent_request_info *ri,
		      netsnmp_request_info *req)
{
	netsnmp_variable_list *vb = req->requestvb;
	const struct mib_value *v = NULL;
	const struct mib_set *set;
	struct mib_name name;

	if (view && name_from(vb->name, vb->name_length, &name))
		v = mib_view_get(view, name.id, name.len, &set);
	if (v)
		answer(a, vb, &name, v);
	else
		netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
}

/* Nothing after the name below this root: the varbind stays NULL and
 * net-snmp carries on in the next registered subtree. */
static void serve_next(struct snmp_agent *a, struct mib_view *view, const struct mib_root *root,
		       netsnmp_request_info *req)
{
	netsnmp_variable_list *vb = req->requestvb;
	size_t len = vb->name_length < MIB_OID_MAX ? vb->name_length : MIB_OID_MAX;
	struct mib_name name, r, next;
	const struct mib_value *v;
	oid out[MIB_OID_MAX];

	/* Truncating a longer name is exact: nothing in the view is longer. */
	if (!view || !name_from(vb->name, len, &name))
		return;
	memcpy(r.id, root->id, root->len * sizeof(root->id[0]));
	r.len = root->len;
	v = mib_view_next(view, name.id, name.len, &r, &next);
	if (!v)
		return;
	name_to(next.id, next.len, out);
	snmp_set_var_objid(vb, out, next.len);
	answer(a, vb, &next, v);
}

/* ---- SET -------------------------------------------------------------------- */

/* The value a manager sends, checked against the object's type. */
static int value_from(const netsnmp_variable_list *vb, enum mib_type type, struct mib_value *v)
{
	memset(v, 0, sizeof(*v));
	if (vb->type != (u_char)type)
		return SNMP_ERR_WRONGTYPE;
	v->type = type;
	switch (type) {
	case MIB_INTEGER:
		v->i = *vb->val.integer;
		return 0;
	case MIB_COUNTER32:
	case MIB_GAUGE32:
	case MIB_TIMETICKS:
		v->i = (long long)(*(const u_long *)vb->val.integer & 0xffffffffu);
		return 0;
	case MIB_OCTETS:
		if (vb->val_len >= MIB_STRING_MAX)
			return SNMP_ERR_WRONGLENGTH;
		memcpy(v->s, vb->val.string, vb->val_len);
		v->s[vb->val_len] = '\0';
		v->len = vb->val_len;
		return 0;
	case MIB_IPADDRESS:
		if (vb->val_len != 4)
			return SNMP_ERR_WRONGLENGTH;
		memcpy(v->s, vb->val.string, 4);
		v->len = 4;
		return 0;
	case MIB_OBJECT_ID: {
		struct mib_name n;

		if (!name_from(vb->val.objid, vb->val_len / sizeof(oid), &n))
			return SNMP_ERR_WRONGLENGTH;
		memcpy(v->oid, n.id, n.len * sizeof(n.id[0]));
		v->len = n.len;
		return 0;
	}
	}
	return SNMP_ERR_WRONGTYPE;
}

static void value_text(const struct mib_value *v, char *buf, size_t size)
{
	size_t k = 0;

	switch (v->type) {
	case MIB_OCTETS:
		/* Quoted text; anything unprintable as '?'. */
		buf[k++] = '"';
		for (size_t i = 0; i < v->len && k + 2 < size; i++) {
			unsigned char c = (unsigned char)v->s[i];

			buf[k++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		buf[k++] = '"';
		buf[k] = '\0';
		return;
	case MIB_OBJECT_ID:
		name_text(v->oid, v->len, buf, size);
		return;
	case MIB_IPADDRESS:
		snprintf(buf, size, "%u.%u.%u.%u", (unsigned char)v->s[0], (unsigned char)v->s[1],
			 (unsigned char)v->s[2], (unsigned char)v->s[3]);
		return;
	default:
		snprintf(buf, size, "%lld", v->i);
	}
}

/* A varbind of this request already failed: in COMMIT the ones after it
 * are not applied either (a saved setting has no undo, so nothing more
 * is changed once the answer is commitFailed). */
static bool request_failed(const netsnmp_agent_request_info *ri)
{
	const netsnmp_agent_session *asp = ri->asp;

	for (int i = 0; asp && asp->requests && i < asp->vbcount; i++)
		if (asp->requests[i].status != SNMP_ERR_NOERROR)
			return true;
	return false;
}

/* RESERVE1 (apply = false) and COMMIT (apply = true) of one varbind. */
static int set_one(struct snmp_agent *a, struct mib_view *view, netsnmp_agent_request_info *ri,
		   netsnmp_request_info *req, bool apply)
{
	netsnmp_variable_list *vb = req->requestvb;
	const struct mib_set *set = NULL;
	const char *why = NULL;
	char what[160], val[96];
	struct mib_name name;
	struct mib_value v;
	int r;

	if (!name_from(vb->name, vb->name_length, &name) || !view)
		return SNMP_ERR_NOCREATION;
	name_text(name.id, name.len, what, sizeof(what));
	if (agent_access_of(a, ri->asp->pdu, a->ctx.who, sizeof(a->ctx.who)) != ACCESS_WRITE) {
		log_notice("snmp: SET of %s refused: %s has read-only access", what, a->ctx.who);
		return SNMP_ERR_NOACCESS;
	}
	if (!mib_view_get(view, name.id, name.len, &set))
		return SNMP_ERR_NOCREATION;
	if (!set)
		return SNMP_ERR_NOTWRITABLE;
	r = value_from(vb, set->type, &v);
	if (r != 0)
		return r;
	value_text(&v, val, sizeof(val));
	if (!apply) {
		r = set->check ? set->check(&a->ctx, &name, &v, &why) : 0;
		if (r < 0)
			log_notice("snmp: SET %s = %s by %s refused: %s", what, val, a->ctx.who,
				   why ? why : strerror(-r));
		return snmp_set_status(r);
	}
	if (request_failed(ri)) {
		log_notice("snmp: SET %s = %s by %s not applied: an earlier varbind failed", what, val,
			   a->ctx.who);
		return SNMP_ERR_NOERROR;        /* the error is the earlier varbind's */
	}
	r = set->apply ? set->apply(&a->ctx, &name, &v) : -ENOTSUP;
	if (r < 0) {
		log_error("snmp: SET %s = %s by %s failed: %s", what, val, a->ctx.who, strerror(-r));
		return SNMP_ERR_COMMITFAILED;
	}
	evbus_emit(a->m->bus, "gw.snmp_set", 0, 0, "%s = %s by %s", what, val, a->ctx.who);
	return SNMP_ERR_NOERROR;
}

static int on_request(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
		      netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	struct snmp_agent *a = handler->myvoid;
	const struct mib_root *root = reg->my_reg_void;

	for (netsnmp_request_info *req = requests; req; req = req->next) {
		int status = SNMP_ERR_NOERROR;
		struct mib_view *view;

		if (req->processed)
			continue;
		/* Asked for each varbind: a SET's COMMIT reloads the settings
		 * and emits events, whose listeners (the trap sender) may
		 * rebuild the view, freeing the one an earlier varbind saw. */
		view = agent_view(a);
		switch (ri->mode) {
		case MODE_GET:
			serve_get(a, view, ri, req);
			break;
		case MODE_GETNEXT:
			serve_next(a, view, root, req);
			break;
		case MODE_SET_RESERVE1:
			status = set_one(a, view, ri, req, false);
			break;
		case MODE_SET_COMMIT:
			status = set_one(a, view, ri, req, true);
			break;
		default:        /* RESERVE2, ACTION, FREE, UNDO: nothing held */
			break;
		}
		if (status != SNMP_ERR_NOERROR)
			netsnmp_set_request_error(ri, req, status);
	}
	return SNMP_ERR_NOERROR;
}

int agent_handlers_register(struct snmp_agent *a)
{
	for (const struct mib_root *root = mib_roots; root->name; root++) {
		netsnmp_handler_registration *reg;
		oid id[MIB_OID_MAX];

		if (a->n_regs == AGENT_MAX_ROOTS)
			return -ENOSPC;
		name_to(root->id, root->len, id);
		reg = netsnmp_create_handler_registration(root->name, on_request, id, root->len,
							  HANDLER_CAN_RWRITE);
		if (!reg)
			return -ENOMEM;
		reg->handler->myvoid = a;
		reg->my_reg_void = (void *)root;
		if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
			log_error("snmp: cannot register %s", root->name);
			return -EEXIST;
		}
		a->regs[a->n_regs++] = reg;
	}
	return 0;
}

void agent_handlers_unregister(struct snmp_agent *a)
{
	for (size_t i = 0; i < a->n_regs; i++)
		netsnmp_unregister_handler(a->regs[i]);
	a->n_regs = 0;
}
