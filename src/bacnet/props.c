#include "bacnet/props.h"

#include <errno.h>
#include <string.h>

#include "bacnet/cov.h"
#include "bacnet/services.h"

#define FLAG_FAULT 0x02
#define FLAG_OUT_OF_SERVICE 0x08
#define EVENT_STATE_NORMAL 0

struct prop_def {
	uint32_t id;
	bool required;
};

#define PROP_TABLE_END { 0, false }

/* 002 §8 and 135 clause 12: Property_List (required since revision 14)
 * and COV_Increment (required for an Analog Value that reports COV) are
 * added to the manual's lists. Relinquish_Default, listed for Multi-state
 * Values by 002, is left out: these objects are not commandable, and
 * without a Priority_Array the property has no meaning (135 12.20.20). */
static const struct prop_def av_props[] = {
	{ BAC_PROP_OBJECT_IDENTIFIER, true }, { BAC_PROP_OBJECT_NAME, true },
	{ BAC_PROP_OBJECT_TYPE, true }, { BAC_PROP_PRESENT_VALUE, true },
	{ BAC_PROP_DESCRIPTION, false }, { BAC_PROP_STATUS_FLAGS, true },
	{ BAC_PROP_EVENT_STATE, true }, { BAC_PROP_OUT_OF_SERVICE, true },
	{ BAC_PROP_UNITS, true }, { BAC_PROP_COV_INCREMENT, false },
	{ BAC_PROP_PROPERTY_LIST, true }, PROP_TABLE_END,
};

static const struct prop_def mv_props[] = {
	{ BAC_PROP_OBJECT_IDENTIFIER, true }, { BAC_PROP_OBJECT_NAME, true },
	{ BAC_PROP_OBJECT_TYPE, true }, { BAC_PROP_PRESENT_VALUE, true },
	{ BAC_PROP_DESCRIPTION, false }, { BAC_PROP_STATUS_FLAGS, true },
	{ BAC_PROP_EVENT_STATE, true }, { BAC_PROP_OUT_OF_SERVICE, true },
	{ BAC_PROP_NUMBER_OF_STATES, true }, { BAC_PROP_STATE_TEXT, false },
	{ BAC_PROP_PROPERTY_LIST, true }, PROP_TABLE_END,
};

static const struct prop_def bsv_props[] = {
	{ BAC_PROP_OBJECT_IDENTIFIER, true }, { BAC_PROP_OBJECT_NAME, true },
	{ BAC_PROP_OBJECT_TYPE, true }, { BAC_PROP_DESCRIPTION, false },
	{ BAC_PROP_PRESENT_VALUE, true }, { BAC_PROP_BIT_TEXT, false },
	{ BAC_PROP_STATUS_FLAGS, true }, { BAC_PROP_EVENT_STATE, false },
	{ BAC_PROP_OUT_OF_SERVICE, false }, { BAC_PROP_PROPERTY_LIST, true },
	PROP_TABLE_END,
};

/* 002 §5.2.1, less what only MS/TP, segmentation, virtual terminals,
 * backup/restore or time synchronisation services would fill. */
static const struct prop_def device_props[] = {
	{ BAC_PROP_OBJECT_IDENTIFIER, true }, { BAC_PROP_OBJECT_NAME, true },
	{ BAC_PROP_OBJECT_TYPE, true }, { BAC_PROP_SYSTEM_STATUS, true },
	{ BAC_PROP_VENDOR_NAME, true }, { BAC_PROP_VENDOR_IDENTIFIER, true },
	{ BAC_PROP_MODEL_NAME, true }, { BAC_PROP_FIRMWARE_REVISION, true },
	{ BAC_PROP_APPLICATION_SOFTWARE_VERSION, true }, { BAC_PROP_LOCATION, false },
	{ BAC_PROP_DESCRIPTION, false }, { BAC_PROP_PROTOCOL_VERSION, true },
	{ BAC_PROP_PROTOCOL_REVISION, true }, { BAC_PROP_PROTOCOL_SERVICES_SUPPORTED, true },
	{ BAC_PROP_PROTOCOL_OBJECT_TYPES_SUPPORTED, true }, { BAC_PROP_OBJECT_LIST, true },
	{ BAC_PROP_MAX_APDU_LENGTH_ACCEPTED, true }, { BAC_PROP_SEGMENTATION_SUPPORTED, true },
	{ BAC_PROP_LOCAL_TIME, false }, { BAC_PROP_LOCAL_DATE, false },
	{ BAC_PROP_UTC_OFFSET, false }, { BAC_PROP_DAYLIGHT_SAVINGS_STATUS, false },
	{ BAC_PROP_APDU_TIMEOUT, true }, { BAC_PROP_NUMBER_OF_APDU_RETRIES, true },
	{ BAC_PROP_DEVICE_ADDRESS_BINDING, true }, { BAC_PROP_DATABASE_REVISION, true },
	{ BAC_PROP_ACTIVE_COV_SUBSCRIPTIONS, false }, { BAC_PROP_PROFILE_NAME, false },
	{ BAC_PROP_PROPERTY_LIST, true }, PROP_TABLE_END,
};

static const struct prop_def *props_of(unsigned type)
{
	switch (type) {
	case BAC_OBJ_ANALOG_VALUE: return av_props;
	case BAC_OBJ_MULTI_STATE_VALUE: return mv_props;
	case BAC_OBJ_BITSTRING_VALUE: return bsv_props;
	case BAC_OBJ_DEVICE: return device_props;
	default: return NULL;
	}
}

int bac_obj_resolve(const struct bac_services *sv, uint32_t objid, struct bac_obj *out)
{
	unsigned type = bac_objid_type(objid);
	uint32_t instance = bac_objid_instance(objid);

	memset(out, 0, sizeof(*out));
	if (type == BAC_OBJ_DEVICE) {
		if (instance != sv->device_id && instance != BAC_DEVICE_WILDCARD)
			return -ENOENT;
		out->type = type;
		out->instance = sv->device_id;
		return 0;
	}
	out->o = bac_object_find((enum bac_object_type)type, instance);
	if (!out->o)
		return -ENOENT;
	out->type = type;
	out->instance = instance;
	return 0;
}

size_t bac_prop_list(const struct bac_obj *ob, uint32_t which, uint32_t *out, size_t max)
{
	const struct prop_def *p = props_of(ob->type);
	size_t n = 0;

	for (; p && p->id; p++) {
		if ((which == BAC_PROP_REQUIRED && !p->required) || (which == BAC_PROP_OPTIONAL && p->required))
			continue;
		if (n < max)
			out[n] = p->id;
		n++;
	}
	return n;
}

bool bac_prop_exists(const struct bac_obj *ob, uint32_t prop)
{
	for (const struct prop_def *p = props_of(ob->type); p && p->id; p++)
		if (p->id == prop)
			return true;
	return false;
}

void bac_obj_state(const struct bac_services *sv, const struct bac_object *o, struct bac_obj_state *st)
{
	bool comm_lost = !sv->snap || sv->snap->comm != COMM_OK;

	memset(st, 0, sizeof(*st));
	if (!sv->snap || bac_object_value(o, sv->snap, sv->unit, &st->value) < 0) {
		memset(&st->value, 0, sizeof(st->value));
		st->value.reliable = false;
		if (o->type == BAC_OBJ_MULTI_STATE_VALUE)
			st->value.v.state = 1;  /* a valid state even when unknown */
	}
	if (!st->value.reliable)
		st->status_flags |= FLAG_FAULT;
	if (!st->value.reliable && comm_lost)
		st->status_flags |= FLAG_OUT_OF_SERVICE;
}

void bac_enc_present_value(struct bac_buf *b, const struct bac_object *o, const struct bac_value *v)
{
	switch (o->type) {
	case BAC_OBJ_ANALOG_VALUE:
		bac_enc_real(b, v->v.real);
		break;
	case BAC_OBJ_MULTI_STATE_VALUE:
		bac_enc_unsigned(b, v->v.state);
		break;
	default:
		bac_enc_bits32(b, v->v.bits, o->n_bits);
		break;
	}
}

void bac_enc_status_flags(struct bac_buf *b, uint8_t flags)
{
	bac_enc_bits32(b, flags, 4);
}

static int bad_index(struct bac_err *err, uint32_t code)
{
	err->cls = BAC_ERRCLASS_PROPERTY;
	err->code = code;
	return -EINVAL;
}

/* A BACnetARRAY of strings: index 0 is the length. */
static int enc_text_array(const char *const *text, unsigned n, uint32_t index, struct bac_buf *b,
			  struct bac_err *err)
{
	if (index == BAC_ARRAY_ALL) {
		for (unsigned i = 0; i < n; i++)
			bac_enc_string(b, text[i] ? text[i] : "");
		return 0;
	}
	if (index == 0) {
		bac_enc_unsigned(b, n);
		return 0;
	}
	if (index > n)
		return bad_index(err, BAC_ERR_INVALID_ARRAY_INDEX);
	bac_enc_string(b, text[index - 1] ? text[index - 1] : "");
	return 0;
}

/* Property_List leaves out the four properties every object has. */
static int enc_property_list(const struct bac_obj *ob, uint32_t index, struct bac_buf *b,
			     struct bac_err *err)
{
	uint32_t n = 0;

	for (const struct prop_def *p = props_of(ob->type); p && p->id; p++) {
		if (p->id == BAC_PROP_OBJECT_IDENTIFIER || p->id == BAC_PROP_OBJECT_NAME ||
		    p->id == BAC_PROP_OBJECT_TYPE || p->id == BAC_PROP_PROPERTY_LIST)
			continue;
		n++;
		if (index == BAC_ARRAY_ALL || index == n)
			bac_enc_enum(b, p->id);
	}
	if (index == 0)
		bac_enc_unsigned(b, n);
	else if (index != BAC_ARRAY_ALL && index > n)
		return bad_index(err, BAC_ERR_INVALID_ARRAY_INDEX);
	return 0;
}

static bool is_array(uint32_t prop)
{
	return prop == BAC_PROP_STATE_TEXT || prop == BAC_PROP_BIT_TEXT ||
	       prop == BAC_PROP_OBJECT_LIST || prop == BAC_PROP_PROPERTY_LIST;
}

static int enc_object_prop(const struct bac_services *sv, const struct bac_object *o, uint32_t prop,
			   uint32_t index, struct bac_buf *b, struct bac_err *err)
{
	struct bac_obj_state st;

	switch (prop) {
	case BAC_PROP_OBJECT_NAME:
		bac_enc_string(b, o->name);
		return 0;
	case BAC_PROP_DESCRIPTION:
		bac_enc_string(b, o->description ? o->description : "");
		return 0;
	case BAC_PROP_PRESENT_VALUE:
	case BAC_PROP_STATUS_FLAGS:
	case BAC_PROP_OUT_OF_SERVICE:
		bac_obj_state(sv, o, &st);
		if (prop == BAC_PROP_PRESENT_VALUE)
			bac_enc_present_value(b, o, &st.value);
		else if (prop == BAC_PROP_STATUS_FLAGS)
			bac_enc_status_flags(b, st.status_flags);
		else
			bac_enc_bool(b, st.status_flags & FLAG_OUT_OF_SERVICE);
		return 0;
	case BAC_PROP_EVENT_STATE:
		bac_enc_enum(b, EVENT_STATE_NORMAL);    /* no intrinsic reporting */
		return 0;
	case BAC_PROP_UNITS:
		bac_enc_enum(b, o->units);
		return 0;
	case BAC_PROP_COV_INCREMENT:
		bac_enc_real(b, bac_cov_increment(o));
		return 0;
	case BAC_PROP_NUMBER_OF_STATES:
		bac_enc_unsigned(b, o->n_states);
		return 0;
	case BAC_PROP_STATE_TEXT:
		return enc_text_array(o->state_text, o->n_states, index, b, err);
	case BAC_PROP_BIT_TEXT:
		return enc_text_array(o->bit_text, o->n_bits, index, b, err);
	}
	err->cls = BAC_ERRCLASS_PROPERTY;
	err->code = BAC_ERR_UNKNOWN_PROPERTY;
	return -EINVAL;
}

int bac_prop_encode(const struct bac_services *sv, const struct bac_obj *ob, uint32_t prop,
		    uint32_t index, struct bac_buf *b, struct bac_err *err)
{
	if (!bac_prop_exists(ob, prop)) {
		err->cls = BAC_ERRCLASS_PROPERTY;
		err->code = BAC_ERR_UNKNOWN_PROPERTY;
		return -EINVAL;
	}
	if (index != BAC_ARRAY_ALL && !is_array(prop))
		return bad_index(err, BAC_ERR_PROPERTY_IS_NOT_AN_ARRAY);
	switch (prop) {
	case BAC_PROP_OBJECT_IDENTIFIER:
		bac_enc_objid(b, ob->type, ob->instance);
		return 0;
	case BAC_PROP_OBJECT_TYPE:
		bac_enc_enum(b, ob->type);
		return 0;
	case BAC_PROP_PROPERTY_LIST:
		return enc_property_list(ob, index, b, err);
	}
	if (!ob->o)
		return bac_device_encode(sv, prop, index, b, err);
	return enc_object_prop(sv, ob->o, prop, index, b, err);
}
