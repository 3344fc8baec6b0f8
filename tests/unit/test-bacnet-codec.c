/* The BACnet tag codec: exact bytes of every application tag type and of
 * context, opening, closing and extended tags; round trips at the edges
 * (0, UINT32_MAX, negative, NaN, infinities, empty and long strings with
 * each length form); every truncation of a valid encoding and a catalogue
 * of malformed ones refused without reading past the input. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "maps-test.h"
#include "bacnet/bvlc.h"
#include "bacnet/codec.h"
#include "bacnet/npdu.h"

static struct tap t;

static bool bytes_are(const struct bac_buf *b, const uint8_t *want, size_t n)
{
	return !b->overflow && b->len == n && memcmp(b->data, want, n) == 0;
}

#define EXPECT_BYTES(b, what, ...) \
	do { \
		const uint8_t want_[] = { __VA_ARGS__ }; \
		CHECK(&t, bytes_are((b), want_, sizeof(want_)), "%s encodes as expected", what); \
	} while (0)

/* Encodes one value with [enc], checks the bytes, decodes it back, and
 * refuses every shorter prefix (from a heap copy of exactly that size,
 * so ASan catches any read past the end). */
static void check_prefixes(const uint8_t *p, size_t n, const char *what)
{
	bool all_refused = true;

	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		struct bac_reader r;
		struct bac_datum d;

		if (cut)
			memcpy(copy, p, cut);
		bac_reader_init(&r, copy, cut);
		if (bac_dec_app(&r, &d) == 0)
			all_refused = false;
		free(copy);
	}
	CHECK(&t, all_refused, "%s: every truncation refused", what);
}

static struct bac_datum decode_one(const struct bac_buf *b, const char *what)
{
	struct bac_reader r;
	struct bac_datum d = { 0 };

	bac_reader_init(&r, b->data, b->len);
	CHECK(&t, bac_dec_app(&r, &d) == 0 && bac_at_end(&r), "%s decodes in full", what);
	check_prefixes(b->data, b->len, what);
	return d;
}

static void test_exact_bytes(void)
{
	uint8_t s[64];
	struct bac_buf b;

	bac_buf_init(&b, s, sizeof(s)); bac_enc_null(&b); EXPECT_BYTES(&b, "null", 0x00);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_bool(&b, true); EXPECT_BYTES(&b, "true", 0x11);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_bool(&b, false); EXPECT_BYTES(&b, "false", 0x10);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_unsigned(&b, 0); EXPECT_BYTES(&b, "unsigned 0", 0x21, 0x00);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_unsigned(&b, 1338); EXPECT_BYTES(&b, "unsigned 1338", 0x22, 0x05, 0x3a);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_unsigned(&b, 0x10000);
	EXPECT_BYTES(&b, "unsigned 65536", 0x23, 0x01, 0x00, 0x00);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_unsigned(&b, UINT32_MAX);
	EXPECT_BYTES(&b, "unsigned max", 0x24, 0xff, 0xff, 0xff, 0xff);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_signed(&b, -1); EXPECT_BYTES(&b, "signed -1", 0x31, 0xff);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_signed(&b, 128); EXPECT_BYTES(&b, "signed 128", 0x32, 0x00, 0x80);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_signed(&b, -129); EXPECT_BYTES(&b, "signed -129", 0x32, 0xff, 0x7f);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_real(&b, 230.0f);
	EXPECT_BYTES(&b, "real 230", 0x44, 0x43, 0x66, 0x00, 0x00);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_double(&b, 1.0);
	EXPECT_BYTES(&b, "double 1", 0x55, 0x08, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_octets(&b, (const uint8_t *)"\x01\x02", 2);
	EXPECT_BYTES(&b, "octets", 0x62, 0x01, 0x02);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_string(&b, "A"); EXPECT_BYTES(&b, "string A", 0x72, 0x00, 0x41);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_string(&b, ""); EXPECT_BYTES(&b, "empty string", 0x71, 0x00);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_bits32(&b, 0x5, 4); EXPECT_BYTES(&b, "bits 1010", 0x82, 0x04, 0xa0);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_bits(&b, NULL, 0); EXPECT_BYTES(&b, "no bits", 0x81, 0x00);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_enum(&b, 85); EXPECT_BYTES(&b, "enumerated 85", 0x91, 0x55);
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_date(&b, &(struct bac_date) { 2024, 2, 29, 4 });
	EXPECT_BYTES(&b, "date", 0xa4, 124, 2, 29, 4);
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_date(&b, &(struct bac_date) { BAC_UNSPECIFIED, 0xff, 0xff, 0xff });
	EXPECT_BYTES(&b, "date unspecified", 0xa4, 0xff, 0xff, 0xff, 0xff);
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_time(&b, &(struct bac_time) { 23, 59, 58, 99 });
	EXPECT_BYTES(&b, "time", 0xb4, 23, 59, 58, 99);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_objid(&b, 8, 1338);
	EXPECT_BYTES(&b, "object id", 0xc4, 0x02, 0x00, 0x05, 0x3a);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_objid(&b, 1023, BAC_INSTANCE_MAX);
	EXPECT_BYTES(&b, "object id max", 0xc4, 0xff, 0xff, 0xff, 0xff);
}

static void test_context_tags(void)
{
	uint8_t s[64];
	struct bac_buf b;

	bac_buf_init(&b, s, sizeof(s)); bac_enc_ctx_unsigned(&b, 2, 5); EXPECT_BYTES(&b, "[2] 5", 0x29, 0x05);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_ctx_bool(&b, 2, true); EXPECT_BYTES(&b, "[2] true", 0x29, 0x01);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_ctx_enum(&b, 1, 85); EXPECT_BYTES(&b, "[1] enum", 0x19, 0x55);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_ctx_signed(&b, 0, -2); EXPECT_BYTES(&b, "[0] -2", 0x09, 0xfe);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_ctx_real(&b, 4, 1.0f);
	EXPECT_BYTES(&b, "[4] real", 0x4c, 0x3f, 0x80, 0x00, 0x00);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_ctx_objid(&b, 0, 2, 1);
	EXPECT_BYTES(&b, "[0] objid", 0x0c, 0x00, 0x80, 0x00, 0x01);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_ctx_string(&b, 3, "x"); EXPECT_BYTES(&b, "[3] string", 0x3a, 0x00, 'x');
	bac_buf_init(&b, s, sizeof(s)); bac_enc_ctx_octets(&b, 1, (const uint8_t *)"\xaa", 1);
	EXPECT_BYTES(&b, "[1] octets", 0x19, 0xaa);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_open(&b, 3); bac_enc_close(&b, 3);
	EXPECT_BYTES(&b, "open/close 3", 0x3e, 0x3f);
	bac_buf_init(&b, s, sizeof(s)); bac_enc_open(&b, 20); bac_enc_ctx_unsigned(&b, 20, 7); bac_enc_close(&b, 20);
	EXPECT_BYTES(&b, "extended tag number 20", 0xfe, 20, 0xf9, 20, 0x07, 0xff, 20);

	/* Decoding them back, and -ENOENT for an absent optional field. */
	uint32_t v = 0, id = 0;
	bool flag = false;
	const char *str;
	size_t len;
	struct bac_reader r;

	bac_buf_init(&b, s, sizeof(s));
	bac_enc_ctx_objid(&b, 0, 8, 7);
	bac_enc_ctx_bool(&b, 2, true);
	bac_enc_open(&b, 20);
	bac_enc_ctx_unsigned(&b, 20, 300);
	bac_enc_close(&b, 20);
	bac_enc_ctx_string(&b, 3, "name");
	bac_reader_init(&r, b.data, b.len);
	CHECK(&t, bac_dec_ctx_objid(&r, 0, &id) == 0 && id == bac_objid(8, 7), "[0] object id decoded");
	CHECK(&t, bac_dec_ctx_unsigned(&r, 1, &v) == -ENOENT, "absent [1] is -ENOENT");
	CHECK(&t, bac_dec_ctx_bool(&r, 2, &flag) == 0 && flag, "[2] boolean decoded");
	CHECK(&t, bac_dec_ctx_unsigned(&r, 20, &v) == -ENOENT, "opening tag is not a primitive");
	CHECK(&t, bac_dec_open(&r, 20) == 0, "opening tag 20");
	CHECK(&t, bac_dec_ctx_unsigned(&r, 20, &v) == 0 && v == 300, "[20] 300 decoded");
	CHECK(&t, bac_dec_close(&r, 19) == -EBADMSG, "closing tag of the wrong number refused");
	CHECK(&t, bac_dec_close(&r, 20) == 0, "closing tag 20");
	CHECK(&t, bac_dec_ctx_string(&r, 3, &str, &len) == 0 && len == 4 && memcmp(str, "name", 4) == 0,
	      "[3] string decoded");
	CHECK(&t, bac_at_end(&r), "at end");
	CHECK(&t, bac_dec_ctx_unsigned(&r, 0, &v) == -ENOENT, "nothing left: -ENOENT");
}

static void test_round_trips(void)
{
	static const uint32_t unsigneds[] = { 0, 1, 255, 256, 65535, 65536, 0xffffff, 0x1000000, UINT32_MAX };
	static const int32_t signeds[] = { 0, 1, -1, 127, -128, 128, -129, 32767, -32768, 8388607,
					   -8388608, -8388609, INT32_MAX, INT32_MIN };
	static const float reals[] = { 0.0f, -0.0f, 1.5f, -1e-38f, 3.4e38f };
	uint8_t s[80];
	struct bac_buf b;
	struct bac_datum d;

	for (size_t i = 0; i < sizeof(unsigneds) / sizeof(unsigneds[0]); i++) {
		bac_buf_init(&b, s, sizeof(s));
		bac_enc_unsigned(&b, unsigneds[i]);
		d = decode_one(&b, "unsigned");
		CHECK(&t, d.tag == BAC_TAG_UNSIGNED && d.v.u == unsigneds[i], "unsigned %u round trip", unsigneds[i]);
		bac_buf_init(&b, s, sizeof(s));
		bac_enc_enum(&b, unsigneds[i]);
		d = decode_one(&b, "enumerated");
		CHECK(&t, d.tag == BAC_TAG_ENUMERATED && d.v.u == unsigneds[i], "enumerated %u", unsigneds[i]);
	}
	for (size_t i = 0; i < sizeof(signeds) / sizeof(signeds[0]); i++) {
		bac_buf_init(&b, s, sizeof(s));
		bac_enc_signed(&b, signeds[i]);
		d = decode_one(&b, "signed");
		CHECK(&t, d.tag == BAC_TAG_SIGNED && d.v.s == signeds[i], "signed %d round trip", signeds[i]);
	}
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		bac_buf_init(&b, s, sizeof(s));
		bac_enc_real(&b, reals[i]);
		d = decode_one(&b, "real");
		CHECK(&t, d.tag == BAC_TAG_REAL && memcmp(&d.v.real, &reals[i], 4) == 0, "real %g", reals[i]);
	}
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_real(&b, NAN);
	d = decode_one(&b, "real NaN");
	CHECK(&t, isnan(d.v.real), "NaN stays NaN");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_real(&b, -INFINITY);
	d = decode_one(&b, "real -inf");
	CHECK(&t, isinf(d.v.real) && d.v.real < 0, "-inf stays -inf");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_double(&b, INFINITY);
	d = decode_one(&b, "double inf");
	CHECK(&t, d.tag == BAC_TAG_DOUBLE && isinf(d.v.dbl), "double inf");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_double(&b, -2.5e300);
	d = decode_one(&b, "double");
	CHECK(&t, d.v.dbl == -2.5e300, "double -2.5e300");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_bool(&b, true);
	d = decode_one(&b, "boolean");
	CHECK(&t, d.tag == BAC_TAG_BOOLEAN && d.v.boolean, "boolean true");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_null(&b);
	d = decode_one(&b, "null");
	CHECK(&t, d.tag == BAC_TAG_NULL, "null");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_bits32(&b, 0x80000001u, 32);
	d = decode_one(&b, "bit string");
	CHECK(&t, d.tag == BAC_TAG_BIT_STRING && d.v.bits.nbits == 32 && d.v.bits.p[0] == 0x80 &&
	      d.v.bits.p[3] == 0x01, "bit 0 is the first byte's high bit, bit 31 the last's low");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_bits(&b, NULL, 0);
	d = decode_one(&b, "empty bit string");
	CHECK(&t, d.v.bits.nbits == 0, "empty bit string has no bits");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_date(&b, &(struct bac_date) { 2154, 12, 31, 7 });
	d = decode_one(&b, "date");
	CHECK(&t, d.tag == BAC_TAG_DATE && d.v.date.year == 2154 && d.v.date.month == 12 && d.v.date.day == 31 &&
	      d.v.date.wday == 7, "date 2154-12-31");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_time(&b, &(struct bac_time) { 0, 0, 0, 0 });
	d = decode_one(&b, "time");
	CHECK(&t, d.tag == BAC_TAG_TIME && d.v.time.hour == 0 && d.v.time.hundredths == 0, "time 00:00");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_objid(&b, 39, 2);
	d = decode_one(&b, "object id");
	CHECK(&t, d.tag == BAC_TAG_OBJECT_ID && bac_objid_type(d.v.u) == 39 && bac_objid_instance(d.v.u) == 2,
	      "object id bitstring-value 2");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_octets(&b, NULL, 0);
	d = decode_one(&b, "empty octet string");
	CHECK(&t, d.tag == BAC_TAG_OCTET_STRING && d.v.octets.len == 0, "empty octet string");
	bac_buf_init(&b, s, sizeof(s));
	bac_enc_string(&b, "");
	d = decode_one(&b, "empty string");
	CHECK(&t, d.tag == BAC_TAG_CHARACTER_STRING && d.v.string.len == 0, "empty character string");
}

/* Each length form: inline (< 5), one octet (5..253), two (254..65535), four. */
static void test_long_strings(void)
{
	static const size_t lengths[] = { 3, 4, 5, 252, 253, 254, 65534, 65535, 70000 };
	size_t cap = 70016;
	uint8_t *s = malloc(cap);
	char *text = malloc(70000);
	struct bac_buf b;
	struct bac_datum d;

	memset(text, 'u', 70000);
	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		size_t n = lengths[i];
		size_t content = n + 1;         /* charset octet */
		size_t header = content < 5 ? 1 : content <= 253 ? 2 : content <= 65535 ? 4 : 6;
		struct bac_reader r;

		bac_buf_init(&b, s, cap);
		bac_enc_string_n(&b, text, n);
		tap_int(&t, (long)b.len, (long)(header + content), "string of %zu: header of %zu", n, header);
		bac_reader_init(&r, b.data, b.len);
		CHECK(&t, bac_dec_app(&r, &d) == 0 && d.v.string.len == n && bac_at_end(&r),
		      "string of %zu decodes", n);
		bac_reader_init(&r, b.data, b.len - 1);
		CHECK(&t, bac_dec_app(&r, &d) == -EBADMSG, "string of %zu less one octet refused", n);
	}
	free(s);
	free(text);
}

static void refuse(const uint8_t *p, size_t n, int want, const char *what)
{
	uint8_t *copy = malloc(n ? n : 1);
	struct bac_reader r;
	struct bac_datum d;
	int got;

	if (n)
		memcpy(copy, p, n);
	bac_reader_init(&r, copy, n);
	got = bac_dec_app(&r, &d);
	free(copy);
	tap_int(&t, got, want, "%s", what);
}

#define REFUSE(want, what, ...) \
	do { \
		const uint8_t in_[] = { __VA_ARGS__ }; \
		refuse(in_, sizeof(in_), want, what); \
	} while (0)

static void test_malformed(void)
{
	refuse(NULL, 0, -EBADMSG, "nothing at all");
	REFUSE(-EBADMSG, "application tag with lvt 6", 0x26);
	REFUSE(-EBADMSG, "context tag where an application one is due", 0x09, 0x01);
	REFUSE(-EBADMSG, "opening tag where a value is due", 0x0e);
	REFUSE(-EBADMSG, "unsigned of no octet", 0x20);
	REFUSE(-ERANGE, "unsigned of 5 octets", 0x25, 0x05, 1, 2, 3, 4, 5);
	REFUSE(-EBADMSG, "unsigned of 9 octets", 0x25, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9);
	REFUSE(-EBADMSG, "signed of no octet", 0x30);
	REFUSE(-EBADMSG, "boolean of value 2", 0x12);
	REFUSE(-EBADMSG, "null with content", 0x01, 0x00);
	REFUSE(-EBADMSG, "real of 3 octets", 0x43, 0, 0, 0);
	REFUSE(-EBADMSG, "double of 4 octets", 0x54, 0, 0, 0, 0);
	REFUSE(-EBADMSG, "date of 3 octets", 0xa3, 0, 0, 0);
	REFUSE(-EBADMSG, "time of 5 octets", 0xb5, 5, 0, 0, 0, 0, 0);
	REFUSE(-EBADMSG, "object id of 2 octets", 0xc2, 0, 0);
	REFUSE(-EBADMSG, "bit string of no octet", 0x80);
	REFUSE(-EBADMSG, "bit string with 8 unused bits", 0x82, 0x08, 0x00);
	REFUSE(-EBADMSG, "empty bit string with unused bits", 0x81, 0x03);
	REFUSE(-EBADMSG, "character string of no octet", 0x70);
	REFUSE(-ENOTSUP, "character string in UCS-2", 0x73, 0x04, 0x00, 0x41);
	REFUSE(-EBADMSG, "reserved application tag 13", 0xd1, 0x00);
	REFUSE(-EBADMSG, "extended tag number 255", 0xf1, 0xff, 0x00);
	REFUSE(-EBADMSG, "extended tag number cut", 0xf1);
	REFUSE(-EBADMSG, "extended length cut", 0x75);
	REFUSE(-EBADMSG, "two-octet length cut", 0x75, 254, 0x01);
	REFUSE(-EBADMSG, "four-octet length beyond the input", 0x65, 255, 0xff, 0xff, 0xff, 0xff, 0x00);
	REFUSE(-EBADMSG, "length beyond the input", 0x64, 1, 2);
}

static void test_skip(void)
{
	uint8_t s[64];
	struct bac_buf b;
	struct bac_reader r;

	bac_buf_init(&b, s, sizeof(s));
	bac_enc_open(&b, 3);
	bac_enc_open(&b, 1);
	bac_enc_real(&b, 1.0f);
	bac_enc_bool(&b, true);
	bac_enc_close(&b, 1);
	bac_enc_string(&b, "abc");
	bac_enc_close(&b, 3);
	bac_enc_ctx_unsigned(&b, 4, 16);
	bac_reader_init(&r, b.data, b.len);
	CHECK(&t, bac_skip(&r) == 0 && bac_next_is(&r, 4, BAC_TAG_PRIMITIVE), "skip a nested constructed value");
	bac_reader_init(&r, b.data, b.len - 3);
	CHECK(&t, bac_skip(&r) == -EBADMSG, "skip without the closing tag refused");
	const uint8_t crossed[] = { 0x3e, 0x1e, 0x3f, 0x1f };
	bac_reader_init(&r, crossed, sizeof(crossed));
	CHECK(&t, bac_skip(&r) == -EBADMSG, "crossed opening/closing tags refused");
	uint8_t deep[40];
	memset(deep, 0x0e, sizeof(deep));
	bac_reader_init(&r, deep, sizeof(deep));
	CHECK(&t, bac_skip(&r) == -EBADMSG, "nesting beyond the cap refused");
}

static void test_overflow(void)
{
	uint8_t s[4];
	struct bac_buf b;

	bac_buf_init(&b, s, sizeof(s));
	bac_enc_unsigned(&b, 1);
	CHECK(&t, !b.overflow && b.len == 2, "fits");
	bac_enc_real(&b, 1.0f);
	CHECK(&t, b.overflow && b.len <= sizeof(s), "overflow recorded, never written past the buffer");
	bac_enc_null(&b);
	CHECK(&t, b.overflow, "stays overflowed");
}

/* A Forwarded-NPDU is answered at the origin it carries: an origin that
 * is not one host (broadcast, multicast, "this network") would turn a
 * unicast request into a reply to many. */
static void test_forwarded_origin(void)
{
	uint8_t f[] = { 0x81, 0x04, 0x00, 0x0d, 192, 168, 1, 10, 0xba, 0xc0, 0x01, 0x00, 0x10 };
	static const uint8_t bad[][4] = { { 255, 255, 255, 255 }, { 224, 0, 0, 1 }, { 239, 1, 2, 3 },
					  { 0, 0, 0, 0 }, { 240, 0, 0, 1 } };
	struct bvlc_msg m;
	bool refused = true;

	CHECK(&t, bvlc_decode(f, sizeof(f), &m) == 0 && m.forwarded && m.npdu_len == 3,
	      "Forwarded-NPDU from a host accepted");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(f + 4, bad[i], 4);
		if (bvlc_decode(f, sizeof(f), &m) != -EBADMSG) {
			printf("# origin %u.%u.%u.%u accepted\n", bad[i][0], bad[i][1], bad[i][2], bad[i][3]);
			refused = false;
		}
	}
	CHECK(&t, refused, "Forwarded-NPDU from a broadcast, multicast or null origin refused");
}

/* A network layer message of an unknown type gets a Reject only when it
 * was sent to this device alone: DNET 0xFFFF is a global broadcast even
 * inside an Original-Unicast-NPDU. */
static void test_network_reject(void)
{
	const uint8_t direct[] = { 0x01, 0x80, 0x14 };
	const uint8_t global[] = { 0x01, 0xa0, 0xff, 0xff, 0x00, 0xff, 0x14 };
	uint8_t out[64];
	struct bac_buf b;
	struct npdu n;

	bac_buf_init(&b, out, sizeof(out));
	CHECK(&t, npdu_decode(direct, sizeof(direct), &n) == 0 && npdu_network_reply(&n, false, &b) &&
	      b.len == 6 && out[2] == 0x03 && out[3] == 3, "unknown network message to us: Reject reason 3");
	bac_buf_init(&b, out, sizeof(out));
	CHECK(&t, npdu_decode(global, sizeof(global), &n) == 0 && npdu_for_us(&n) &&
	      !npdu_network_reply(&n, false, &b) && b.len == 0,
	      "unknown network message to DNET 0xFFFF: no answer");
}

int main(void)
{
	test_exact_bytes();
	test_context_tags();
	test_round_trips();
	test_long_strings();
	test_malformed();
	test_skip();
	test_overflow();
	test_forwarded_origin();
	test_network_reject();
	return tap_done(&t);
}
