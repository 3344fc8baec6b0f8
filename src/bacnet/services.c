#include "bacnet/services.h"

#include <errno.h>
#include <string.h>

#include "bacnet/apdu.h"
#include "bacnet/cov.h"

#define SEGMENTATION_NONE 3
#define RPM_SPECIAL_PROPS 64            /* more than any object type has */

void bac_services_init(struct bac_services *sv, uint32_t device_id, unsigned unit, in_port_t port,
		       uint32_t cov_lifetime_max_s, bac_send_fn send, void *userdata)
{
	memset(sv, 0, sizeof(*sv));
	sv->device_id = device_id;
	sv->unit = unit;
	sv->port = port;
	sv->cov_lifetime_max_s = cov_lifetime_max_s;
	sv->send = send;
	sv->userdata = userdata;
}

/* An answer to something sent to every device goes to every device;
 * a requester that would not hear that (another UDP port, or behind a
 * router) gets it directly. */
static void answer(struct bac_services *sv, const struct bac_addr *from, bool broadcast,
		   const struct bac_buf *b)
{
	if (b->overflow || b->len == 0)
		return;
	if (!broadcast || from->route.present) {
		sv->send(sv->userdata, from, false, b->data, b->len);
		return;
	}
	sv->send(sv->userdata, NULL, false, b->data, b->len);
	if (from->ip.sin_port != sv->port)
		sv->send(sv->userdata, from, false, b->data, b->len);
}

static void enc_i_am(const struct bac_services *sv, struct bac_buf *b)
{
	apdu_unconfirmed_header(b, BAC_SVC_I_AM);
	bac_enc_objid(b, BAC_OBJ_DEVICE, sv->device_id);
	bac_enc_unsigned(b, BAC_APDU_MAX);
	bac_enc_enum(b, SEGMENTATION_NONE);
	bac_enc_unsigned(b, BAC_VENDOR_ID);
}

void bac_send_i_am(struct bac_services *sv, const struct bac_addr *to)
{
	uint8_t out[32];
	struct bac_buf b;

	bac_buf_init(&b, out, sizeof(out));
	enc_i_am(sv, &b);
	sv->send(sv->userdata, to, false, b.data, b.len);
}

/* Who-Is and Who-Has: an optional instance range, both limits or none.
 * False if the request is malformed or this device is outside it. */
static bool in_range(const struct bac_services *sv, struct bac_reader *r)
{
	uint32_t low, high;
	int ret = bac_dec_ctx_unsigned(r, 0, &low);

	if (ret == -ENOENT)
		return !bac_next_is(r, 1, BAC_TAG_PRIMITIVE);
	if (ret < 0 || bac_dec_ctx_unsigned(r, 1, &high) < 0)
		return false;
	if (low > BAC_INSTANCE_MAX || high > BAC_INSTANCE_MAX)
		return false;
	return sv->device_id >= low && sv->device_id <= high;
}

static void handle_who_is(struct bac_services *sv, const struct bac_addr *from, bool broadcast,
			  const uint8_t *params, size_t len)
{
	uint8_t out[32];
	struct bac_buf b;
	struct bac_reader r;

	bac_reader_init(&r, params, len);
	if (!in_range(sv, &r) || !bac_at_end(&r))
		return;
	bac_buf_init(&b, out, sizeof(out));
	enc_i_am(sv, &b);
	answer(sv, from, broadcast, &b);
}

/* The object Who-Has names, by identifier or by name; NULL-type if none. */
static bool who_has_target(const struct bac_services *sv, struct bac_reader *r, struct bac_obj *ob)
{
	const char *name;
	size_t name_len;
	uint32_t objid;
	char devname[64];

	if (bac_dec_ctx_objid(r, 2, &objid) == 0)
		return bac_at_end(r) && bac_obj_resolve(sv, objid, ob) == 0;
	if (bac_dec_ctx_string(r, 3, &name, &name_len) < 0 || !bac_at_end(r))
		return false;
	bac_device_name(sv, devname, sizeof(devname));
	if (strlen(devname) == name_len && memcmp(devname, name, name_len) == 0)
		return bac_obj_resolve(sv, bac_objid(BAC_OBJ_DEVICE, sv->device_id), ob) == 0;
	for (size_t i = 0; i < bac_objects_count; i++) {
		const struct bac_object *o = &bac_objects[i];

		if (strlen(o->name) == name_len && memcmp(o->name, name, name_len) == 0)
			return bac_obj_resolve(sv, bac_objid(o->type, o->instance), ob) == 0;
	}
	return false;
}

static void handle_who_has(struct bac_services *sv, const struct bac_addr *from, bool broadcast,
			   const uint8_t *params, size_t len)
{
	uint8_t out[128];
	char devname[64];
	struct bac_reader r;
	struct bac_buf b;
	struct bac_obj ob;

	bac_reader_init(&r, params, len);
	if (!in_range(sv, &r) || !who_has_target(sv, &r, &ob))
		return;
	bac_buf_init(&b, out, sizeof(out));
	apdu_unconfirmed_header(&b, BAC_SVC_I_HAVE);
	bac_enc_objid(&b, BAC_OBJ_DEVICE, sv->device_id);
	bac_enc_objid(&b, ob.type, ob.instance);
	if (ob.o) {
		bac_enc_string(&b, ob.o->name);
	} else {
		bac_device_name(sv, devname, sizeof(devname));
		bac_enc_string(&b, devname);
	}
	answer(sv, from, broadcast, &b);
}

/* objectIdentifier, propertyIdentifier, [propertyArrayIndex] with the
 * given context tags. */
static int dec_prop_ref(struct bac_reader *r, uint8_t tag_obj, uint32_t *objid, uint32_t *prop,
			uint32_t *index)
{
	int ret;

	if (tag_obj != 0xff && (ret = bac_dec_ctx_objid(r, tag_obj, objid)) < 0)
		return ret == -ENOENT ? -ENODATA : ret;
	if ((ret = bac_dec_ctx_enum(r, tag_obj == 0xff ? 0 : 1, prop)) < 0)
		return ret == -ENOENT ? -ENODATA : ret;
	ret = bac_dec_ctx_unsigned(r, tag_obj == 0xff ? 1 : 2, index);
	if (ret == -ENOENT)
		*index = BAC_ARRAY_ALL;
	else if (ret < 0)
		return ret;
	return 0;
}

static int handle_read_property(struct bac_services *sv, const struct bac_addr *from,
				const struct apdu *a, struct bac_buf *b)
{
	uint32_t objid, prop, index;
	struct bac_reader r;
	struct bac_err err;
	struct bac_obj ob;
	int ret;

	bac_reader_init(&r, a->params, a->params_len);
	if ((ret = dec_prop_ref(&r, 0, &objid, &prop, &index)) < 0)
		return ret;
	if (!bac_at_end(&r))
		return -E2BIG;
	if (bac_obj_resolve(sv, objid, &ob) < 0) {
		apdu_error(b, a->invoke_id, a->service, BAC_ERRCLASS_OBJECT, BAC_ERR_UNKNOWN_OBJECT);
		return 0;
	}
	apdu_complex_ack_header(b, a->invoke_id, a->service);
	bac_enc_ctx_objid(b, 0, ob.type, ob.instance);
	bac_enc_ctx_enum(b, 1, prop);
	if (index != BAC_ARRAY_ALL)
		bac_enc_ctx_unsigned(b, 2, index);
	bac_enc_open(b, 3);
	if (bac_prop_encode(sv, &ob, prop, index, b, &err) < 0) {
		b->len = 0;
		b->overflow = false;
		apdu_error(b, a->invoke_id, a->service, err.cls, err.code);
		return 0;
	}
	bac_enc_close(b, 3);
	return 0;
}

static void rpm_error(struct bac_buf *b, const struct bac_err *err)
{
	bac_enc_open(b, 5);
	bac_enc_enum(b, err->cls);
	bac_enc_enum(b, err->code);
	bac_enc_close(b, 5);
}

/* One readResult element: the value, or the error in its place. */
static void rpm_one(struct bac_services *sv, const struct bac_obj *ob, bool known, uint32_t prop,
		    uint32_t index, struct bac_buf *b)
{
	struct bac_err err = { BAC_ERRCLASS_OBJECT, BAC_ERR_UNKNOWN_OBJECT };
	size_t mark;

	bac_enc_ctx_enum(b, 2, prop);
	if (index != BAC_ARRAY_ALL)
		bac_enc_ctx_unsigned(b, 3, index);
	mark = b->len;
	if (known) {
		bac_enc_open(b, 4);
		if (bac_prop_encode(sv, ob, prop, index, b, &err) == 0) {
			bac_enc_close(b, 4);
			return;
		}
		if (!b->overflow)
			b->len = mark;
	}
	rpm_error(b, &err);
}

static void rpm_props(struct bac_services *sv, const struct bac_obj *ob, bool known, uint32_t prop,
		      uint32_t index, struct bac_buf *b)
{
	uint32_t list[RPM_SPECIAL_PROPS];
	size_t n;

	if (!known || (prop != BAC_PROP_ALL && prop != BAC_PROP_REQUIRED && prop != BAC_PROP_OPTIONAL)) {
		rpm_one(sv, ob, known, prop, index, b);
		return;
	}
	n = bac_prop_list(ob, prop, list, RPM_SPECIAL_PROPS);
	for (size_t i = 0; i < n && i < RPM_SPECIAL_PROPS; i++)
		rpm_one(sv, ob, true, list[i], BAC_ARRAY_ALL, b);
}

/* One ReadAccessSpecification and its ReadAccessResult. */
static int rpm_spec(struct bac_services *sv, struct bac_reader *r, struct bac_buf *b)
{
	uint32_t objid, prop, index;
	struct bac_obj ob;
	bool known;
	int ret;

	if ((ret = bac_dec_ctx_objid(r, 0, &objid)) < 0)
		return ret == -ENOENT ? -ENODATA : ret;
	if (bac_dec_open(r, 1) < 0)
		return bac_at_end(r) ? -ENODATA : -EBADMSG;
	known = bac_obj_resolve(sv, objid, &ob) == 0;
	if (known)
		bac_enc_ctx_objid(b, 0, ob.type, ob.instance);
	else
		bac_enc_ctx_objid(b, 0, bac_objid_type(objid), bac_objid_instance(objid));
	bac_enc_open(b, 1);
	do {
		if ((ret = dec_prop_ref(r, 0xff, NULL, &prop, &index)) < 0)
			return ret;
		rpm_props(sv, &ob, known, prop, index, b);
	} while (!bac_next_is(r, 1, BAC_TAG_CLOSING) && !b->overflow);
	if (!b->overflow && bac_dec_close(r, 1) < 0)
		return -EBADMSG;
	bac_enc_close(b, 1);
	return 0;
}

static int handle_read_property_multiple(struct bac_services *sv, const struct bac_addr *from,
					 const struct apdu *a, struct bac_buf *b)
{
	struct bac_reader r;
	int ret;

	bac_reader_init(&r, a->params, a->params_len);
	if (bac_at_end(&r))
		return -ENODATA;
	apdu_complex_ack_header(b, a->invoke_id, a->service);
	while (!bac_at_end(&r) && !b->overflow)
		if ((ret = rpm_spec(sv, &r, b)) < 0)
			return ret;
	return 0;
}

/* The gateway is read-only (DESIGN.md): a well-formed write to an
 * existing property is denied, anything else gets the error it earns. */
static int handle_write_property(struct bac_services *sv, const struct bac_addr *from,
				 const struct apdu *a, struct bac_buf *b)
{
	uint32_t objid, prop, index, priority;
	struct bac_reader r;
	struct bac_obj ob;
	int ret;

	bac_reader_init(&r, a->params, a->params_len);
	if ((ret = dec_prop_ref(&r, 0, &objid, &prop, &index)) < 0)
		return ret;
	if (!bac_next_is(&r, 3, BAC_TAG_OPENING))
		return bac_at_end(&r) ? -ENODATA : -EBADMSG;
	if (bac_skip(&r) < 0)
		return -EBADMSG;
	ret = bac_dec_ctx_unsigned(&r, 4, &priority);
	if (ret < 0 && ret != -ENOENT)
		return ret;
	if (ret == 0 && (priority < 1 || priority > 16))
		return -ERANGE;
	if (!bac_at_end(&r))
		return -E2BIG;
	if (bac_obj_resolve(sv, objid, &ob) < 0)
		apdu_error(b, a->invoke_id, a->service, BAC_ERRCLASS_OBJECT, BAC_ERR_UNKNOWN_OBJECT);
	else if (!bac_prop_exists(&ob, prop))
		apdu_error(b, a->invoke_id, a->service, BAC_ERRCLASS_PROPERTY, BAC_ERR_UNKNOWN_PROPERTY);
	else
		apdu_error(b, a->invoke_id, a->service, BAC_ERRCLASS_PROPERTY, BAC_ERR_WRITE_ACCESS_DENIED);
	return 0;
}

static int handle_subscribe_cov(struct bac_services *sv, const struct bac_addr *from,
				const struct apdu *a, struct bac_buf *b)
{
	return bac_cov_subscribe(sv, from, a->invoke_id, a->params, a->params_len, b);
}

typedef int (*confirmed_handler)(struct bac_services *sv, const struct bac_addr *from,
				 const struct apdu *a, struct bac_buf *reply);

static const struct {
	uint8_t service;
	confirmed_handler handle;
} confirmed_services[] = {
	{ BAC_SVC_SUBSCRIBE_COV, handle_subscribe_cov },
	{ BAC_SVC_READ_PROPERTY, handle_read_property },
	{ BAC_SVC_READ_PROPERTY_MULTIPLE, handle_read_property_multiple },
	{ BAC_SVC_WRITE_PROPERTY, handle_write_property },
};

static uint8_t reject_reason(int err)
{
	switch (err) {
	case -EBADMSG: return BAC_REJECT_INVALID_TAG;
	case -ENODATA: return BAC_REJECT_MISSING_REQUIRED_PARAMETER;
	case -E2BIG: return BAC_REJECT_TOO_MANY_ARGUMENTS;
	case -ERANGE: return BAC_REJECT_PARAMETER_OUT_OF_RANGE;
	case -ENOTSUP: return BAC_REJECT_INVALID_PARAMETER_DATA_TYPE;
	default: return BAC_REJECT_OTHER;
	}
}

static void handle_confirmed(struct bac_services *sv, const struct bac_addr *from, const struct apdu *a)
{
	uint8_t out[BAC_APDU_MAX];
	confirmed_handler handle = NULL;
	struct bac_buf b;
	int ret;

	bac_buf_init(&b, out, a->max_apdu < BAC_APDU_MAX ? a->max_apdu : BAC_APDU_MAX);
	for (size_t i = 0; i < sizeof(confirmed_services) / sizeof(confirmed_services[0]); i++)
		if (confirmed_services[i].service == a->service)
			handle = confirmed_services[i].handle;
	if (a->segmented) {
		apdu_abort(&b, a->invoke_id, BAC_ABORT_SEGMENTATION_NOT_SUPPORTED);
	} else if (!handle) {
		apdu_reject(&b, a->invoke_id, BAC_REJECT_UNRECOGNIZED_SERVICE);
	} else if ((ret = handle(sv, from, a, &b)) < 0) {
		bac_buf_init(&b, out, sizeof(out));
		apdu_reject(&b, a->invoke_id, reject_reason(ret));
	} else if (b.overflow) {
		/* The answer does not fit what the client takes, and this
		 * device does not segment. */
		bac_buf_init(&b, out, sizeof(out));
		apdu_abort(&b, a->invoke_id, BAC_ABORT_SEGMENTATION_NOT_SUPPORTED);
	}
	sv->send(sv->userdata, from, false, b.data, b.len);
	if (a->service == BAC_SVC_SUBSCRIBE_COV)
		bac_cov_send_initial(sv);
}

void bac_handle_apdu(struct bac_services *sv, const struct bac_addr *from, bool broadcast,
		     const uint8_t *apdu, size_t len)
{
	struct apdu a;

	if (apdu_decode(apdu, len, &a) < 0)
		return;                 /* not even an invoke id to answer */
	switch (a.type) {
	case BAC_PDU_CONFIRMED:
		/* Only Who-Is and Who-Has are answered when sent to every
		 * device: a spoofed broadcast request would have all of them
		 * answer one victim. */
		if (!broadcast)
			handle_confirmed(sv, from, &a);
		break;
	case BAC_PDU_UNCONFIRMED:
		if (a.service == BAC_SVC_WHO_IS)
			handle_who_is(sv, from, broadcast, a.params, a.params_len);
		else if (a.service == BAC_SVC_WHO_HAS)
			handle_who_has(sv, from, broadcast, a.params, a.params_len);
		break;                  /* other unconfirmed services: not for a server */
	case BAC_PDU_SIMPLE_ACK:
	case BAC_PDU_ERROR:
	case BAC_PDU_REJECT:
	case BAC_PDU_ABORT:
		bac_cov_answer(sv, from, a.invoke_id);
		break;
	default:
		break;                  /* this device never asks for data or segments */
	}
}
