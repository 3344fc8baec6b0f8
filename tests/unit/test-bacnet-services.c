/* The BACnet services against a hand-built snapshot and the real object
 * table: Who-Is (ranges, broadcast answers), Who-Has, ReadProperty of
 * every object's Present_Value (equal to the object model's value),
 * arrays and their indexes, ReadPropertyMultiple ALL / REQUIRED /
 * OPTIONAL, every error, reject and abort, and SubscribeCOV with its
 * notifications, lifetime cap, expiry, cancellation and retries. */
#include <errno.h>
#include <math.h>

#include "maps-test.h"
#include "bacnet/apdu.h"
#include "bacnet/cov.h"
#include "bacnet/services.h"
#include "device/snapshot.h"

#define DEVICE_ID 1338
#define OUR_PORT 47808
#define LIFETIME_MAX 600

static struct tap t;

struct sent {
	bool broadcast;
	bool expecting_reply;
	size_t len;
	uint8_t apdu[BAC_APDU_MAX];
};

struct capture {
	size_t n;
	struct sent s[8];
};

static void capture_send(void *userdata, const struct bac_addr *to, bool expecting_reply,
			 const uint8_t *apdu, size_t len)
{
	struct capture *c = userdata;

	if (c->n == sizeof(c->s) / sizeof(c->s[0]))
		abort();
	c->s[c->n].broadcast = !to;
	c->s[c->n].expecting_reply = expecting_reply;
	c->s[c->n].len = len;
	memcpy(c->s[c->n].apdu, apdu, len);
	c->n++;
}

static struct capture cap;
static struct bac_services sv;
static struct bac_addr client;

static struct snapshot *ups_snapshot(double every_measurement)
{
	struct snapshot *s = snapshot_new();
	struct level_data *l = &s->levels[0];

	s->comm = COMM_OK;
	s->id.map = MAP_VUMAP;
	s->id.nominal_kva = 20;
	s->id.battery_present = true;
	snprintf(s->id.range, sizeof(s->id.range), "MASTERYS BC+");
	snprintf(s->id.serial, sizeof(s->id.serial), "X1");
	s->topo.kind = TOPO_SINGLE;
	s->n_levels = 1;
	l->kind = LEVEL_SYSTEM;
	l->present = true;
	l->valid = true;
	for (int i = 0; i < _MEAS_COUNT; i++)
		l->meas[i] = every_measurement;
	return s;
}

/* ---- requests ---- */

static void request(const uint8_t *apdu, size_t len, bool broadcast)
{
	cap.n = 0;
	bac_handle_apdu(&sv, &client, broadcast, apdu, len);
}

static void confirmed(uint8_t service, uint8_t max_apdu_code, const struct bac_buf *params)
{
	uint8_t a[BAC_APDU_MAX] = { BAC_PDU_CONFIRMED << 4, max_apdu_code, 42, service };

	memcpy(a + 4, params->data, params->len);
	request(a, 4 + params->len, false);
}

static void read_property(unsigned type, uint32_t inst, uint32_t prop, uint32_t index)
{
	uint8_t p[32];
	struct bac_buf b;

	bac_buf_init(&b, p, sizeof(p));
	bac_enc_ctx_objid(&b, 0, type, inst);
	bac_enc_ctx_enum(&b, 1, prop);
	if (index != BAC_ARRAY_ALL)
		bac_enc_ctx_unsigned(&b, 2, index);
	confirmed(BAC_SVC_READ_PROPERTY, 5, &b);
}

/* ---- replies ---- */

static const struct sent *only_reply(void)
{
	return cap.n == 1 ? &cap.s[0] : NULL;
}

/* The value of a ReadProperty ACK; false if the reply is anything else. */
static bool rp_value(struct bac_datum *d, size_t *n_values)
{
	const struct sent *r = only_reply();
	struct bac_reader rd;
	uint32_t id, prop, index;

	*n_values = 0;
	if (!r || r->len < 3 || r->apdu[0] != BAC_PDU_COMPLEX_ACK << 4 || r->apdu[2] != BAC_SVC_READ_PROPERTY)
		return false;
	bac_reader_init(&rd, r->apdu + 3, r->len - 3);
	if (bac_dec_ctx_objid(&rd, 0, &id) < 0 || bac_dec_ctx_enum(&rd, 1, &prop) < 0)
		return false;
	(void)bac_dec_ctx_unsigned(&rd, 2, &index);
	if (bac_dec_open(&rd, 3) < 0)
		return false;
	while (!bac_next_is(&rd, 3, BAC_TAG_CLOSING)) {
		struct bac_datum one;

		if (bac_dec_app(&rd, *n_values ? &one : d) < 0)
			return false;
		(*n_values)++;
	}
	return bac_dec_close(&rd, 3) == 0 && bac_at_end(&rd);
}

static bool is_error(uint32_t cls, uint32_t code)
{
	const struct sent *r = only_reply();
	struct bac_reader rd;
	struct bac_datum a, b;

	if (!r || r->apdu[0] != BAC_PDU_ERROR << 4 || r->apdu[1] != 42)
		return false;
	bac_reader_init(&rd, r->apdu + 3, r->len - 3);
	return bac_dec_app(&rd, &a) == 0 && bac_dec_app(&rd, &b) == 0 && bac_at_end(&rd) &&
	       a.v.u == cls && b.v.u == code;
}

static bool is_pdu(uint8_t type, uint8_t reason)
{
	const struct sent *r = only_reply();

	return r && r->len == 3 && (r->apdu[0] >> 4) == type && r->apdu[1] == 42 && r->apdu[2] == reason;
}

/* ---- tests ---- */

static bool is_i_am(const struct sent *s)
{
	struct bac_reader rd;
	struct bac_datum id, max, seg, vendor;

	if (s->len < 2 || s->apdu[0] != BAC_PDU_UNCONFIRMED << 4 || s->apdu[1] != BAC_SVC_I_AM)
		return false;
	bac_reader_init(&rd, s->apdu + 2, s->len - 2);
	return bac_dec_app(&rd, &id) == 0 && bac_dec_app(&rd, &max) == 0 && bac_dec_app(&rd, &seg) == 0 &&
	       bac_dec_app(&rd, &vendor) == 0 && bac_at_end(&rd) &&
	       id.v.u == bac_objid(BAC_OBJ_DEVICE, DEVICE_ID) && max.v.u == BAC_APDU_MAX && seg.v.u == 3 &&
	       vendor.v.u == BAC_VENDOR_ID;
}

static void who_is(const uint8_t *params, size_t len, bool broadcast)
{
	uint8_t a[32] = { BAC_PDU_UNCONFIRMED << 4, BAC_SVC_WHO_IS };

	if (len)
		memcpy(a + 2, params, len);
	request(a, 2 + len, broadcast);
}

static void test_who_is(void)
{
	who_is(NULL, 0, false);
	CHECK(&t, cap.n == 1 && !cap.s[0].broadcast && is_i_am(&cap.s[0]), "Who-Is: I-Am to the asker");
	who_is((const uint8_t[]){ 0x0a, 0x03, 0xe8, 0x1a, 0x07, 0xd0 }, 6, false);
	CHECK(&t, cap.n == 1 && is_i_am(&cap.s[0]), "Who-Is 1000..2000: I-Am");
	who_is((const uint8_t[]){ 0x0a, 0x05, 0x3a, 0x1a, 0x05, 0x3a }, 6, false);
	CHECK(&t, cap.n == 1, "Who-Is 1338..1338: I-Am");
	who_is((const uint8_t[]){ 0x09, 0x00, 0x19, 0x0a }, 4, false);
	CHECK(&t, cap.n == 0, "Who-Is 0..10: silence");
	who_is((const uint8_t[]){ 0x09, 0x00 }, 2, false);
	CHECK(&t, cap.n == 0, "Who-Is with a low limit only: silence");
	who_is((const uint8_t[]){ 0x09, 0x00, 0x1c, 0x00, 0x7f, 0xff, 0xff }, 7, false);
	CHECK(&t, cap.n == 0, "Who-Is with a high limit beyond 4194303: silence");
	who_is(NULL, 0, true);
	CHECK(&t, cap.n == 2 && cap.s[0].broadcast && !cap.s[1].broadcast,
	      "broadcast Who-Is from another port: broadcast I-Am and one to the asker");
	client.ip.sin_port = htons(OUR_PORT);
	who_is(NULL, 0, true);
	CHECK(&t, cap.n == 1 && cap.s[0].broadcast, "broadcast Who-Is from our port: broadcast I-Am only");
	client.ip.sin_port = htons(47809);
}

static void who_has_name(const char *name)
{
	uint8_t a[128] = { BAC_PDU_UNCONFIRMED << 4, BAC_SVC_WHO_HAS };
	struct bac_buf b;

	bac_buf_init(&b, a + 2, sizeof(a) - 2);
	bac_enc_ctx_string(&b, 3, name);
	request(a, 2 + b.len, false);
}

static void test_who_has(void)
{
	const struct bac_object *o = &bac_objects[5];
	uint8_t a[32] = { BAC_PDU_UNCONFIRMED << 4, BAC_SVC_WHO_HAS };
	struct bac_reader rd;
	struct bac_datum dev, obj, name;
	struct bac_buf b;

	who_has_name(o->name);
	CHECK(&t, cap.n == 1 && cap.s[0].apdu[1] == BAC_SVC_I_HAVE, "Who-Has by name: I-Have");
	bac_reader_init(&rd, cap.s[0].apdu + 2, cap.s[0].len - 2);
	CHECK(&t, bac_dec_app(&rd, &dev) == 0 && bac_dec_app(&rd, &obj) == 0 && bac_dec_app(&rd, &name) == 0 &&
	      obj.v.u == bac_objid(o->type, o->instance) && name.v.string.len == strlen(o->name),
	      "I-Have names the object");
	who_has_name("NO_SUCH_OBJECT");
	CHECK(&t, cap.n == 0, "Who-Has of an unknown name: silence");
	bac_buf_init(&b, a + 2, sizeof(a) - 2);
	bac_enc_ctx_objid(&b, 2, BAC_OBJ_MULTI_STATE_VALUE, 1);
	request(a, 2 + b.len, false);
	CHECK(&t, cap.n == 1 && cap.s[0].apdu[1] == BAC_SVC_I_HAVE, "Who-Has by identifier: I-Have");
}

/* Every object's Present_Value as the object model gives it. */
static void test_present_values(void)
{
	unsigned bad = 0;

	for (size_t i = 0; i < bac_objects_count; i++) {
		const struct bac_object *o = &bac_objects[i];
		struct bac_value v;
		struct bac_datum d;
		size_t n;
		bool same;

		if (bac_object_value(o, sv.snap, sv.unit, &v) < 0)
			v.reliable = false;
		read_property(o->type, o->instance, BAC_PROP_PRESENT_VALUE, BAC_ARRAY_ALL);
		if (!rp_value(&d, &n) || n != 1) {
			bad++;
			continue;
		}
		if (o->type == BAC_OBJ_ANALOG_VALUE)
			same = d.tag == BAC_TAG_REAL && (d.v.real == v.v.real || (isnan(d.v.real) && isnan(v.v.real)));
		else if (o->type == BAC_OBJ_MULTI_STATE_VALUE)
			same = d.tag == BAC_TAG_UNSIGNED && d.v.u == v.v.state;
		else
			same = d.tag == BAC_TAG_BIT_STRING && d.v.bits.nbits == o->n_bits;
		if (!same) {
			printf("# %s: Present_Value differs\n", o->name);
			bad++;
		}
	}
	CHECK_INT(&t, bad, 0, "ReadProperty Present_Value of all %zu objects", bac_objects_count);
}

static void test_read_property(void)
{
	const struct bac_object *mv = bac_object_find(BAC_OBJ_MULTI_STATE_VALUE, 1);
	const struct bac_object *bsv = bac_object_find(BAC_OBJ_BITSTRING_VALUE, 0);
	struct bac_datum d;
	size_t n;

	read_property(BAC_OBJ_DEVICE, DEVICE_ID, BAC_PROP_OBJECT_LIST, 0);
	CHECK(&t, rp_value(&d, &n) && n == 1 && d.v.u == bac_objects_count + 1, "Object_List[0] is the length");
	read_property(BAC_OBJ_DEVICE, DEVICE_ID, BAC_PROP_OBJECT_LIST, 1);
	CHECK(&t, rp_value(&d, &n) && d.tag == BAC_TAG_OBJECT_ID && d.v.u == bac_objid(BAC_OBJ_DEVICE, DEVICE_ID),
	      "Object_List[1] is the Device");
	read_property(BAC_OBJ_DEVICE, DEVICE_ID, BAC_PROP_OBJECT_LIST, BAC_ARRAY_ALL);
	CHECK(&t, rp_value(&d, &n) && n == bac_objects_count + 1, "Object_List whole");
	read_property(BAC_OBJ_DEVICE, DEVICE_ID, BAC_PROP_OBJECT_LIST, (uint32_t)bac_objects_count + 2);
	CHECK(&t, is_error(BAC_ERRCLASS_PROPERTY, BAC_ERR_INVALID_ARRAY_INDEX), "Object_List[n+1]: invalid-array-index");
	read_property(BAC_OBJ_DEVICE, BAC_DEVICE_WILDCARD, BAC_PROP_VENDOR_IDENTIFIER, BAC_ARRAY_ALL);
	CHECK(&t, rp_value(&d, &n) && d.v.u == 591, "Device 4194303 is this device: vendor 591");
	read_property(BAC_OBJ_DEVICE, DEVICE_ID, BAC_PROP_OBJECT_NAME, BAC_ARRAY_ALL);
	CHECK(&t, rp_value(&d, &n) && d.tag == BAC_TAG_CHARACTER_STRING && d.v.string.len > 0, "Device Object_Name");
	read_property(BAC_OBJ_DEVICE, DEVICE_ID + 1, BAC_PROP_OBJECT_NAME, BAC_ARRAY_ALL);
	CHECK(&t, is_error(BAC_ERRCLASS_OBJECT, BAC_ERR_UNKNOWN_OBJECT), "another device: unknown-object");

	read_property(BAC_OBJ_MULTI_STATE_VALUE, 1, BAC_PROP_STATE_TEXT, 2);
	CHECK(&t, rp_value(&d, &n) && d.v.string.len == strlen(mv->state_text[1]) &&
	      memcmp(d.v.string.p, mv->state_text[1], d.v.string.len) == 0, "State_Text[2]");
	read_property(BAC_OBJ_MULTI_STATE_VALUE, 1, BAC_PROP_STATE_TEXT, BAC_ARRAY_ALL);
	CHECK(&t, rp_value(&d, &n) && n == mv->n_states, "State_Text has Number_Of_States entries");
	read_property(BAC_OBJ_MULTI_STATE_VALUE, 1, BAC_PROP_STATE_TEXT, mv->n_states + 1u);
	CHECK(&t, is_error(BAC_ERRCLASS_PROPERTY, BAC_ERR_INVALID_ARRAY_INDEX), "State_Text[n+1]: invalid-array-index");
	read_property(BAC_OBJ_BITSTRING_VALUE, 0, BAC_PROP_BIT_TEXT, 0);
	CHECK(&t, rp_value(&d, &n) && d.v.u == bsv->n_bits, "Bit_Text[0] is the bit count");
	read_property(BAC_OBJ_ANALOG_VALUE, 0, BAC_PROP_PRESENT_VALUE, 1);
	CHECK(&t, is_error(BAC_ERRCLASS_PROPERTY, BAC_ERR_PROPERTY_IS_NOT_AN_ARRAY), "PV[1]: property-is-not-an-array");
	read_property(BAC_OBJ_ANALOG_VALUE, 0, BAC_PROP_STATE_TEXT, BAC_ARRAY_ALL);
	CHECK(&t, is_error(BAC_ERRCLASS_PROPERTY, BAC_ERR_UNKNOWN_PROPERTY), "AV State_Text: unknown-property");
	read_property(BAC_OBJ_ANALOG_VALUE, 0, BAC_PROP_ALL, BAC_ARRAY_ALL);
	CHECK(&t, is_error(BAC_ERRCLASS_PROPERTY, BAC_ERR_UNKNOWN_PROPERTY), "ReadProperty ALL: unknown-property");
	read_property(BAC_OBJ_ANALOG_VALUE, 88, BAC_PROP_PRESENT_VALUE, BAC_ARRAY_ALL);
	CHECK(&t, is_error(BAC_ERRCLASS_OBJECT, BAC_ERR_UNKNOWN_OBJECT), "AV 88: unknown-object");
	read_property(BAC_OBJ_ANALOG_VALUE, 0, BAC_PROP_UNITS, BAC_ARRAY_ALL);
	CHECK(&t, rp_value(&d, &n) && d.tag == BAC_TAG_ENUMERATED && d.v.u == bac_objects[0].units, "AV 0 Units");
	read_property(BAC_OBJ_ANALOG_VALUE, 0, BAC_PROP_STATUS_FLAGS, BAC_ARRAY_ALL);
	CHECK(&t, rp_value(&d, &n) && d.tag == BAC_TAG_BIT_STRING && d.v.bits.nbits == 4, "Status_Flags: 4 bits");
}

/* RPM of one object with one property reference; returns the reply's
 * property identifiers in order, -1 for an error result. */
static size_t rpm(unsigned type, uint32_t inst, uint32_t prop, uint8_t max_apdu_code, long *ids, size_t max)
{
	uint8_t p[32];
	struct bac_buf b;
	struct bac_reader rd;
	const struct sent *r;
	uint32_t objid, id;
	size_t n = 0;

	bac_buf_init(&b, p, sizeof(p));
	bac_enc_ctx_objid(&b, 0, type, inst);
	bac_enc_open(&b, 1);
	bac_enc_ctx_enum(&b, 0, prop);
	bac_enc_close(&b, 1);
	confirmed(BAC_SVC_READ_PROPERTY_MULTIPLE, max_apdu_code, &b);
	r = only_reply();
	if (!r || r->apdu[0] != BAC_PDU_COMPLEX_ACK << 4)
		return 0;
	bac_reader_init(&rd, r->apdu + 3, r->len - 3);
	if (bac_dec_ctx_objid(&rd, 0, &objid) < 0 || bac_dec_open(&rd, 1) < 0)
		return 0;
	while (bac_dec_ctx_enum(&rd, 2, &id) == 0) {
		bool err = bac_next_is(&rd, 5, BAC_TAG_OPENING);

		if (bac_skip(&rd) < 0)
			return 0;
		if (n < max)
			ids[n] = err ? -1 : (long)id;
		n++;
	}
	return bac_dec_close(&rd, 1) == 0 && bac_at_end(&rd) ? n : 0;
}

static void test_read_property_multiple(void)
{
	long ids[64];
	size_t n;

	n = rpm(BAC_OBJ_ANALOG_VALUE, 0, BAC_PROP_ALL, 5, ids, 64);
	CHECK(&t, n == 11 && ids[0] == BAC_PROP_OBJECT_IDENTIFIER && ids[3] == BAC_PROP_PRESENT_VALUE &&
	      ids[8] == BAC_PROP_UNITS, "RPM ALL of an AV: its 11 properties in order");
	n = rpm(BAC_OBJ_ANALOG_VALUE, 0, BAC_PROP_REQUIRED, 5, ids, 64);
	CHECK_INT(&t, n, 9, "RPM REQUIRED of an AV (with Property_List)");
	n = rpm(BAC_OBJ_ANALOG_VALUE, 0, BAC_PROP_OPTIONAL, 5, ids, 64);
	CHECK(&t, n == 2 && ids[0] == BAC_PROP_DESCRIPTION && ids[1] == BAC_PROP_COV_INCREMENT,
	      "RPM OPTIONAL of an AV: Description, COV_Increment");
	n = rpm(BAC_OBJ_MULTI_STATE_VALUE, 1, BAC_PROP_ALL, 5, ids, 64);
	CHECK_INT(&t, n, 11, "RPM ALL of an MV");
	n = rpm(BAC_OBJ_BITSTRING_VALUE, 1, BAC_PROP_ALL, 5, ids, 64);
	CHECK_INT(&t, n, 10, "RPM ALL of a BSV");
	n = rpm(BAC_OBJ_DEVICE, DEVICE_ID, BAC_PROP_ALL, 5, ids, 64);
	CHECK(&t, n >= 25, "RPM ALL of the Device fits in 1476 octets (%zu properties)", n);
	n = rpm(BAC_OBJ_ANALOG_VALUE, 500, BAC_PROP_ALL, 5, ids, 64);
	CHECK(&t, n == 1 && ids[0] == -1, "RPM of an unknown object: an error result");
	n = rpm(BAC_OBJ_ANALOG_VALUE, 0, 9999, 5, ids, 64);
	CHECK(&t, n == 1 && ids[0] == -1, "RPM of an unknown property: an error result");
	rpm(BAC_OBJ_DEVICE, DEVICE_ID, BAC_PROP_ALL, 0, ids, 64);
	CHECK(&t, is_pdu(BAC_PDU_ABORT, BAC_ABORT_SEGMENTATION_NOT_SUPPORTED),
	      "Device ALL to a 50-octet client: abort segmentation-not-supported");
}

static void test_refusals(void)
{
	uint8_t p[64];
	struct bac_buf b;

	bac_buf_init(&b, p, sizeof(p));
	bac_enc_ctx_objid(&b, 0, BAC_OBJ_ANALOG_VALUE, 1);
	bac_enc_ctx_enum(&b, 1, BAC_PROP_PRESENT_VALUE);
	bac_enc_open(&b, 3);
	bac_enc_real(&b, 3.0f);
	bac_enc_close(&b, 3);
	confirmed(BAC_SVC_WRITE_PROPERTY, 5, &b);
	CHECK(&t, is_error(BAC_ERRCLASS_PROPERTY, BAC_ERR_WRITE_ACCESS_DENIED), "WriteProperty: write-access-denied");
	p[4] = 99;              /* instance 99 */
	confirmed(BAC_SVC_WRITE_PROPERTY, 5, &b);
	CHECK(&t, is_error(BAC_ERRCLASS_OBJECT, BAC_ERR_UNKNOWN_OBJECT), "WriteProperty to AV 99: unknown-object");
	b.len -= 2;             /* no closing tag */
	confirmed(BAC_SVC_WRITE_PROPERTY, 5, &b);
	CHECK(&t, is_pdu(BAC_PDU_REJECT, BAC_REJECT_INVALID_TAG), "WriteProperty without closing tag: reject");

	bac_buf_init(&b, p, sizeof(p));
	bac_enc_ctx_objid(&b, 0, BAC_OBJ_ANALOG_VALUE, 1);
	confirmed(BAC_SVC_READ_PROPERTY, 5, &b);
	CHECK(&t, is_pdu(BAC_PDU_REJECT, BAC_REJECT_MISSING_REQUIRED_PARAMETER), "ReadProperty without property: reject");
	bac_enc_ctx_enum(&b, 1, BAC_PROP_PRESENT_VALUE);
	bac_enc_ctx_unsigned(&b, 5, 1);
	confirmed(BAC_SVC_READ_PROPERTY, 5, &b);
	CHECK(&t, is_pdu(BAC_PDU_REJECT, BAC_REJECT_TOO_MANY_ARGUMENTS), "ReadProperty with an extra tag: reject");
	b.len -= 3;
	b.data[b.len - 1] = 0x55;       /* property tag turned into [5] */
	confirmed(BAC_SVC_READ_PROPERTY, 5, &b);
	CHECK(&t, is_pdu(BAC_PDU_REJECT, BAC_REJECT_MISSING_REQUIRED_PARAMETER) ||
	      is_pdu(BAC_PDU_REJECT, BAC_REJECT_INVALID_TAG), "ReadProperty with a garbled tag: reject");
	bac_buf_init(&b, p, sizeof(p));
	confirmed(26 /* readRange */, 5, &b);
	CHECK(&t, is_pdu(BAC_PDU_REJECT, BAC_REJECT_UNRECOGNIZED_SERVICE), "ReadRange: reject unrecognized-service");
	confirmed(BAC_SVC_WRITE_PROPERTY_MULTIPLE, 5, &b);
	CHECK(&t, is_pdu(BAC_PDU_REJECT, BAC_REJECT_UNRECOGNIZED_SERVICE), "WritePropertyMultiple: reject");

	const uint8_t segmented[] = { (BAC_PDU_CONFIRMED << 4) | 0x08 | 0x04, 0x05, 42, 0, 1,
				      BAC_SVC_READ_PROPERTY, 0x0c, 0, 0, 0, 1 };
	request(segmented, sizeof(segmented), false);
	CHECK(&t, is_pdu(BAC_PDU_ABORT, BAC_ABORT_SEGMENTATION_NOT_SUPPORTED), "segmented request: abort");
	request((const uint8_t[]){ 0x00, 0x05 }, 2, false);
	CHECK(&t, cap.n == 0, "truncated confirmed header: silence");
	request((const uint8_t[]){ 0x80, 0x00, 0x00 }, 3, false);
	CHECK(&t, cap.n == 0, "unknown PDU type: silence");

	/* A confirmed request sent to every device (spoofed source: every
	 * device would answer one victim) gets no answer and changes nothing. */
	bac_buf_init(&b, p, sizeof(p));
	bac_enc_ctx_objid(&b, 0, BAC_OBJ_DEVICE, DEVICE_ID);
	bac_enc_ctx_enum(&b, 1, BAC_PROP_OBJECT_LIST);
	uint8_t bcast[BAC_APDU_MAX] = { BAC_PDU_CONFIRMED << 4, 5, 42, BAC_SVC_READ_PROPERTY };
	memcpy(bcast + 4, b.data, b.len);
	request(bcast, 4 + b.len, true);
	CHECK(&t, cap.n == 0, "broadcast ReadProperty: silence");
	bac_buf_init(&b, p, sizeof(p));
	bac_enc_ctx_unsigned(&b, 0, 1);
	bac_enc_ctx_objid(&b, 1, BAC_OBJ_ANALOG_VALUE, 0);
	bac_enc_ctx_bool(&b, 2, false);
	bac_enc_ctx_unsigned(&b, 3, 60);
	bcast[3] = BAC_SVC_SUBSCRIBE_COV;
	memcpy(bcast + 4, b.data, b.len);
	request(bcast, 4 + b.len, true);
	CHECK(&t, cap.n == 0 && sv.n_cov == 0, "broadcast SubscribeCOV: silence, no subscription");
}

/* ---- COV ---- */

static void subscribe(unsigned type, uint32_t inst, uint32_t pid, int confirmed_flag, long lifetime)
{
	uint8_t p[32];
	struct bac_buf b;

	bac_buf_init(&b, p, sizeof(p));
	bac_enc_ctx_unsigned(&b, 0, pid);
	bac_enc_ctx_objid(&b, 1, type, inst);
	if (confirmed_flag >= 0)
		bac_enc_ctx_bool(&b, 2, confirmed_flag);
	if (lifetime >= 0)
		bac_enc_ctx_unsigned(&b, 3, (uint32_t)lifetime);
	confirmed(BAC_SVC_SUBSCRIBE_COV, 5, &b);
}

/* A COV notification's Present_Value (AV) and Status_Flags. */
static bool notification(const struct sent *s, bool confirmed_flag, float *pv, uint8_t *flags)
{
	size_t h = confirmed_flag ? 4 : 2;
	uint8_t want = confirmed_flag ? BAC_SVC_CONFIRMED_COV_NOTIFICATION : BAC_SVC_UNCONFIRMED_COV_NOTIFICATION;
	struct bac_reader rd;
	struct bac_datum v, f;
	uint32_t u, prop;

	if (s->len < h || s->apdu[h - 1] != want || s->expecting_reply != confirmed_flag)
		return false;
	bac_reader_init(&rd, s->apdu + h, s->len - h);
	if (bac_dec_ctx_unsigned(&rd, 0, &u) < 0 || bac_dec_ctx_objid(&rd, 1, &u) < 0 ||
	    bac_dec_ctx_objid(&rd, 2, &u) < 0 || bac_dec_ctx_unsigned(&rd, 3, &u) < 0 || bac_dec_open(&rd, 4) < 0)
		return false;
	if (bac_dec_ctx_enum(&rd, 0, &prop) < 0 || prop != BAC_PROP_PRESENT_VALUE || bac_dec_open(&rd, 2) < 0 ||
	    bac_dec_app(&rd, &v) < 0 || bac_dec_close(&rd, 2) < 0)
		return false;
	if (bac_dec_ctx_enum(&rd, 0, &prop) < 0 || prop != BAC_PROP_STATUS_FLAGS || bac_dec_open(&rd, 2) < 0 ||
	    bac_dec_app(&rd, &f) < 0 || bac_dec_close(&rd, 2) < 0)
		return false;
	if (bac_dec_close(&rd, 4) < 0 || !bac_at_end(&rd))
		return false;
	*pv = v.tag == BAC_TAG_REAL ? v.v.real : -1;
	*flags = f.v.bits.nbits == 4 ? f.v.bits.p[0] >> 4 : 0xff;
	return true;
}

static void new_snapshot(struct snapshot *s)
{
	snapshot_unref((struct snapshot *)sv.snap);
	sv.snap = s;
	cap.n = 0;
	bac_cov_check(&sv);
}

static void test_cov(void)
{
	const struct bac_object *av = bac_object_find(BAC_OBJ_ANALOG_VALUE, 0);
	float pv = 0, inc = bac_cov_increment(av);
	uint8_t flags = 0;
	struct bac_value v;

	sv.now_ms = 1000000;
	subscribe(BAC_OBJ_ANALOG_VALUE, 0, 7, 0, 120);
	CHECK(&t, cap.n == 2 && cap.s[0].apdu[0] == BAC_PDU_SIMPLE_ACK << 4, "SubscribeCOV: Simple-ACK first");
	CHECK(&t, cap.n == 2 && notification(&cap.s[1], false, &pv, &flags) && flags == 0,
	      "then the initial unconfirmed notification");
	CHECK(&t, sv.n_cov == 1 && sv.cov[0].expires_ms == sv.now_ms + 120000, "lifetime 120 s kept");
	read_property(BAC_OBJ_DEVICE, DEVICE_ID, BAC_PROP_ACTIVE_COV_SUBSCRIPTIONS, BAC_ARRAY_ALL);
	CHECK(&t, only_reply() && only_reply()->apdu[0] == BAC_PDU_COMPLEX_ACK << 4,
	      "Active_COV_Subscriptions lists it");

	new_snapshot(ups_snapshot(100 + inc / 4));
	CHECK_INT(&t, cap.n, 0, "a change below COV_Increment: no notification");
	new_snapshot(ups_snapshot(100 + 20 * inc));
	bac_object_value(av, sv.snap, 0, &v);
	CHECK(&t, cap.n == 1 && notification(&cap.s[0], false, &pv, &flags) && pv == v.v.real,
	      "a change of 20 increments: notified with the new value");
	struct snapshot *lost = ups_snapshot(100 + 20 * inc);
	lost->comm = COMM_LOST;
	for (int i = 0; i < _MEAS_COUNT; i++)
		lost->levels[0].meas[i] = NAN;
	new_snapshot(lost);
	CHECK(&t, cap.n == 1 && notification(&cap.s[0], false, &pv, &flags) && flags == 0x5,
	      "communication lost: fault and out-of-service flags notified");
	read_property(BAC_OBJ_ANALOG_VALUE, 0, BAC_PROP_OUT_OF_SERVICE, BAC_ARRAY_ALL);
	struct bac_datum d;
	size_t n;
	CHECK(&t, rp_value(&d, &n) && d.tag == BAC_TAG_BOOLEAN && d.v.boolean, "Out_Of_Service true while lost");
	new_snapshot(ups_snapshot(100));

	subscribe(BAC_OBJ_ANALOG_VALUE, 0, 7, -1, -1);
	CHECK(&t, cap.n == 1 && cap.s[0].apdu[0] == BAC_PDU_SIMPLE_ACK << 4 && sv.n_cov == 0,
	      "cancellation: Simple-ACK, subscription gone");
	new_snapshot(ups_snapshot(500));
	CHECK_INT(&t, cap.n, 0, "no notification after cancellation");

	subscribe(BAC_OBJ_MULTI_STATE_VALUE, 1, 8, 1, 0);
	CHECK(&t, sv.n_cov == 1 && sv.cov[0].expires_ms == sv.now_ms + LIFETIME_MAX * 1000ull,
	      "lifetime 0 (indefinite) capped to bacnet.cov_lifetime_max");
	CHECK(&t, cap.n == 2 && cap.s[1].expecting_reply && cap.s[1].apdu[3] == BAC_SVC_CONFIRMED_COV_NOTIFICATION,
	      "confirmed subscription: confirmed notification");
	uint8_t invoke = cap.s[1].apdu[2];
	cap.n = 0;
	sv.now_ms += BAC_APDU_TIMEOUT_MS;
	bac_cov_tick(&sv);
	CHECK(&t, cap.n == 1 && cap.s[0].apdu[2] == invoke, "unanswered: resent after APDU_Timeout, same invoke id");
	request((const uint8_t[]){ BAC_PDU_SIMPLE_ACK << 4, invoke, BAC_SVC_CONFIRMED_COV_NOTIFICATION }, 3, false);
	CHECK(&t, !sv.cov[0].awaiting_ack, "Simple-ACK ends the retries");
	cap.n = 0;
	sv.now_ms += BAC_APDU_TIMEOUT_MS;
	bac_cov_tick(&sv);
	CHECK_INT(&t, cap.n, 0, "no resend once acknowledged");
	subscribe(BAC_OBJ_MULTI_STATE_VALUE, 1, 8, 1, 100000);
	CHECK(&t, sv.n_cov == 1 && sv.cov[0].expires_ms == sv.now_ms + LIFETIME_MAX * 1000ull,
	      "resubscription: the same entry, lifetime capped");
	sv.now_ms += LIFETIME_MAX * 1000ull;
	bac_cov_tick(&sv);
	CHECK_INT(&t, sv.n_cov, 0, "expired at the end of its lifetime");

	subscribe(BAC_OBJ_ANALOG_VALUE, 4000, 1, 0, 60);
	CHECK(&t, is_error(BAC_ERRCLASS_OBJECT, BAC_ERR_UNKNOWN_OBJECT), "SubscribeCOV to AV 4000: unknown-object");
	subscribe(BAC_OBJ_DEVICE, DEVICE_ID, 1, 0, 60);
	CHECK(&t, is_error(BAC_ERRCLASS_OBJECT, 45), "SubscribeCOV to the Device: not supported");
	subscribe(BAC_OBJ_ANALOG_VALUE, 0, 1, -1, 60);
	CHECK(&t, is_pdu(BAC_PDU_REJECT, BAC_REJECT_MISSING_REQUIRED_PARAMETER), "lifetime without confirmed flag: reject");
	for (uint32_t pid = 0; pid < BAC_COV_MAX; pid++)
		subscribe(BAC_OBJ_ANALOG_VALUE, 0, pid, 0, 60);
	subscribe(BAC_OBJ_ANALOG_VALUE, 0, BAC_COV_MAX, 0, 60);
	CHECK(&t, sv.n_cov == BAC_COV_MAX && is_error(BAC_ERRCLASS_RESOURCES, BAC_ERR_NO_SPACE_TO_ADD_LIST_ELEMENT),
	      "subscription %d refused: no-space", BAC_COV_MAX + 1);
	read_property(BAC_OBJ_DEVICE, DEVICE_ID, BAC_PROP_ACTIVE_COV_SUBSCRIPTIONS, BAC_ARRAY_ALL);
	CHECK(&t, is_pdu(BAC_PDU_ABORT, BAC_ABORT_SEGMENTATION_NOT_SUPPORTED),
	      "Active_COV_Subscriptions of %d entries exceeds one APDU: abort", BAC_COV_MAX);
}

int main(void)
{
	bac_services_init(&sv, DEVICE_ID, 0, htons(OUR_PORT), LIFETIME_MAX, capture_send, &cap);
	sv.snap = ups_snapshot(100);
	client.ip.sin_family = AF_INET;
	client.ip.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	client.ip.sin_port = htons(47809);

	test_who_is();
	test_who_has();
	test_present_values();
	test_read_property();
	test_read_property_multiple();
	test_refusals();
	test_cov();
	snapshot_unref((struct snapshot *)sv.snap);
	return tap_done(&t);
}
