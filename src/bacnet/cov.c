#include "bacnet/cov.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "bacnet/apdu.h"

#define ERR_OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED 45

/* The smallest change of an Analog Value worth a notification, by its
 * BACnet engineering unit: about the resolution the UPS reports, so that
 * measurement noise in the last digit does not flood subscribers. */
float bac_cov_increment(const struct bac_object *o)
{
	switch (o->units) {
	case 3:                 /* amperes */
	case 5:                 /* volts */
	case 98:                /* percent */
	case 72:                /* minutes */
	case 261:               /* ampere-hours */
		return 1.0f;
	case 9:                 /* kilovolt-amperes */
	case 48:                /* kilowatts */
	case 27:                /* hertz */
		return 0.1f;
	case 62:                /* degrees Celsius */
		return 0.5f;
	case 73:                /* seconds */
		return 10.0f;
	default:
		return 1.0f;
	}
}

static bool same_subscriber(const struct bac_addr *a, const struct bac_addr *b)
{
	return a->ip.sin_addr.s_addr == b->ip.sin_addr.s_addr && a->ip.sin_port == b->ip.sin_port &&
	       a->route.present == b->route.present &&
	       (!a->route.present || (a->route.net == b->route.net && a->route.len == b->route.len &&
				      memcmp(a->route.adr, b->route.adr, a->route.len) == 0));
}

static struct bac_cov_sub *find_sub(struct bac_services *sv, const struct bac_addr *from,
				    uint32_t process_id, const struct bac_object *o)
{
	for (size_t i = 0; i < sv->n_cov; i++) {
		struct bac_cov_sub *c = &sv->cov[i];

		if (c->process_id == process_id && c->o == o && same_subscriber(&c->subscriber, from))
			return c;
	}
	return NULL;
}

static void drop_sub(struct bac_services *sv, struct bac_cov_sub *c)
{
	*c = sv->cov[--sv->n_cov];
}

static uint32_t time_remaining_s(const struct bac_services *sv, const struct bac_cov_sub *c)
{
	return c->expires_ms > sv->now_ms ? (uint32_t)((c->expires_ms - sv->now_ms + 999) / 1000) : 0;
}

static int sub_error(struct bac_buf *reply, uint8_t invoke_id, uint32_t cls, uint32_t code)
{
	apdu_error(reply, invoke_id, BAC_SVC_SUBSCRIBE_COV, cls, code);
	return 0;
}

/* Lifetime 0 asks for "forever"; like any other, it is capped. */
static uint32_t capped_lifetime(const struct bac_services *sv, bool has_lifetime, uint32_t lifetime)
{
	if (!has_lifetime || lifetime == 0 || lifetime > sv->cov_lifetime_max_s)
		return sv->cov_lifetime_max_s;
	return lifetime;
}

int bac_cov_subscribe(struct bac_services *sv, const struct bac_addr *from, uint8_t invoke_id,
		      const uint8_t *params, size_t len, struct bac_buf *reply)
{
	uint32_t process_id, objid, lifetime = 0;
	bool confirmed = false, has_confirmed, has_lifetime;
	struct bac_reader r;
	struct bac_cov_sub *c;
	struct bac_obj ob;
	int ret;

	bac_reader_init(&r, params, len);
	if ((ret = bac_dec_ctx_unsigned(&r, 0, &process_id)) < 0 ||
	    (ret = bac_dec_ctx_objid(&r, 1, &objid)) < 0)
		return ret == -ENOENT ? -ENODATA : ret;
	ret = bac_dec_ctx_bool(&r, 2, &confirmed);
	if (ret < 0 && ret != -ENOENT)
		return ret;
	has_confirmed = ret == 0;
	ret = bac_dec_ctx_unsigned(&r, 3, &lifetime);
	if (ret < 0 && ret != -ENOENT)
		return ret;
	has_lifetime = ret == 0;
	if (!bac_at_end(&r))
		return -E2BIG;
	if (has_lifetime && !has_confirmed)
		return -ENODATA;
	if (bac_obj_resolve(sv, objid, &ob) < 0)
		return sub_error(reply, invoke_id, BAC_ERRCLASS_OBJECT, BAC_ERR_UNKNOWN_OBJECT);
	if (!ob.o)
		return sub_error(reply, invoke_id, BAC_ERRCLASS_OBJECT, ERR_OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED);
	c = find_sub(sv, from, process_id, ob.o);
	if (!has_confirmed) {           /* cancellation; none to cancel is fine too */
		if (c)
			drop_sub(sv, c);
		apdu_simple_ack(reply, invoke_id, BAC_SVC_SUBSCRIBE_COV);
		return 0;
	}
	if (!c) {
		if (sv->n_cov == BAC_COV_MAX)
			return sub_error(reply, invoke_id, BAC_ERRCLASS_RESOURCES,
					 BAC_ERR_NO_SPACE_TO_ADD_LIST_ELEMENT);
		c = &sv->cov[sv->n_cov++];
		memset(c, 0, sizeof(*c));
		c->subscriber = *from;
		c->process_id = process_id;
		c->o = ob.o;
	}
	c->confirmed = confirmed;
	c->expires_ms = sv->now_ms + (uint64_t)capped_lifetime(sv, has_lifetime, lifetime) * 1000;
	c->initial_pending = true;      /* 135 13.14.1.1: a (re)subscription reports at once */
	apdu_simple_ack(reply, invoke_id, BAC_SVC_SUBSCRIBE_COV);
	return 0;
}

static void enc_value(struct bac_buf *b, uint32_t prop, const struct bac_object *o,
		      const struct bac_obj_state *st)
{
	bac_enc_ctx_enum(b, 0, prop);
	bac_enc_open(b, 2);
	if (prop == BAC_PROP_PRESENT_VALUE)
		bac_enc_present_value(b, o, &st->value);
	else
		bac_enc_status_flags(b, st->status_flags);
	bac_enc_close(b, 2);
}

static void notify(struct bac_services *sv, struct bac_cov_sub *c, const struct bac_obj_state *st)
{
	struct bac_buf b;

	bac_buf_init(&b, c->apdu, sizeof(c->apdu));
	if (c->confirmed) {
		c->invoke_id = sv->next_invoke_id++;
		apdu_confirmed_header(&b, c->invoke_id, BAC_SVC_CONFIRMED_COV_NOTIFICATION);
	} else {
		apdu_unconfirmed_header(&b, BAC_SVC_UNCONFIRMED_COV_NOTIFICATION);
	}
	bac_enc_ctx_unsigned(&b, 0, c->process_id);
	bac_enc_ctx_objid(&b, 1, BAC_OBJ_DEVICE, sv->device_id);
	bac_enc_ctx_objid(&b, 2, c->o->type, c->o->instance);
	bac_enc_ctx_unsigned(&b, 3, time_remaining_s(sv, c));
	bac_enc_open(&b, 4);
	enc_value(&b, BAC_PROP_PRESENT_VALUE, c->o, st);
	enc_value(&b, BAC_PROP_STATUS_FLAGS, c->o, st);
	bac_enc_close(&b, 4);
	if (b.overflow)
		return;                 /* cannot happen: the buffer holds the largest */
	c->apdu_len = (uint8_t)b.len;
	c->sent = *st;
	c->awaiting_ack = c->confirmed;
	c->retries = 0;
	c->sent_ms = sv->now_ms;
	sv->send(sv->userdata, &c->subscriber, c->confirmed, c->apdu, c->apdu_len);
}

static bool value_changed(const struct bac_object *o, const struct bac_obj_state *old,
			  const struct bac_obj_state *cur)
{
	float a = old->value.v.real, b = cur->value.v.real;

	if (old->status_flags != cur->status_flags)
		return true;
	switch (o->type) {
	case BAC_OBJ_ANALOG_VALUE:
		if (isnan(a) || isnan(b))
			return isnan(a) != isnan(b);
		return fabsf(b - a) >= bac_cov_increment(o);
	case BAC_OBJ_MULTI_STATE_VALUE:
		return old->value.v.state != cur->value.v.state;
	default:
		return old->value.v.bits != cur->value.v.bits;
	}
}

void bac_cov_send_initial(struct bac_services *sv)
{
	struct bac_obj_state st;

	for (size_t i = 0; i < sv->n_cov; i++) {
		struct bac_cov_sub *c = &sv->cov[i];

		if (!c->initial_pending)
			continue;
		c->initial_pending = false;
		bac_obj_state(sv, c->o, &st);
		notify(sv, c, &st);
	}
}

void bac_cov_check(struct bac_services *sv)
{
	struct bac_obj_state st;

	for (size_t i = 0; i < sv->n_cov; i++) {
		struct bac_cov_sub *c = &sv->cov[i];

		bac_obj_state(sv, c->o, &st);
		if (c->initial_pending || value_changed(c->o, &c->sent, &st)) {
			c->initial_pending = false;
			notify(sv, c, &st);
		}
	}
}

void bac_cov_tick(struct bac_services *sv)
{
	for (size_t i = 0; i < sv->n_cov;) {
		struct bac_cov_sub *c = &sv->cov[i];

		if (sv->now_ms >= c->expires_ms) {
			drop_sub(sv, c);
			continue;
		}
		if (c->awaiting_ack && sv->now_ms - c->sent_ms >= BAC_APDU_TIMEOUT_MS) {
			if (c->retries < BAC_APDU_RETRIES) {
				c->retries++;
				c->sent_ms = sv->now_ms;
				sv->send(sv->userdata, &c->subscriber, true, c->apdu, c->apdu_len);
			} else {
				c->awaiting_ack = false;        /* the next change tries again */
			}
		}
		i++;
	}
}

void bac_cov_answer(struct bac_services *sv, const struct bac_addr *from, uint8_t invoke_id)
{
	for (size_t i = 0; i < sv->n_cov; i++) {
		struct bac_cov_sub *c = &sv->cov[i];

		if (c->awaiting_ack && c->invoke_id == invoke_id && same_subscriber(&c->subscriber, from))
			c->awaiting_ack = false;
	}
}

static void enc_recipient(struct bac_buf *b, const struct bac_addr *a)
{
	bac_enc_open(b, 0);             /* BACnetRecipientProcess.recipient */
	bac_enc_open(b, 1);             /* BACnetRecipient: address */
	if (a->route.present) {
		bac_enc_unsigned(b, a->route.net);
		bac_enc_octets(b, a->route.adr, a->route.len);
	} else {
		uint8_t mac[6];

		memcpy(mac, &a->ip.sin_addr, 4);
		memcpy(mac + 4, &a->ip.sin_port, 2);
		bac_enc_unsigned(b, 0);
		bac_enc_octets(b, mac, sizeof(mac));
	}
	bac_enc_close(b, 1);
	bac_enc_close(b, 0);
}

void bac_cov_encode_active(const struct bac_services *sv, struct bac_buf *b)
{
	for (size_t i = 0; i < sv->n_cov; i++) {
		const struct bac_cov_sub *c = &sv->cov[i];

		bac_enc_open(b, 0);
		enc_recipient(b, &c->subscriber);
		bac_enc_ctx_unsigned(b, 1, c->process_id);
		bac_enc_close(b, 0);
		bac_enc_open(b, 1);
		bac_enc_ctx_objid(b, 0, c->o->type, c->o->instance);
		bac_enc_ctx_enum(b, 1, BAC_PROP_PRESENT_VALUE);
		bac_enc_close(b, 1);
		bac_enc_ctx_bool(b, 2, c->confirmed);
		bac_enc_ctx_unsigned(b, 3, time_remaining_s(sv, c));
		if (c->o->type == BAC_OBJ_ANALOG_VALUE)
			bac_enc_ctx_real(b, 4, bac_cov_increment(c->o));
	}
}
