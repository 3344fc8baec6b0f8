#include "bacnet/codec.h"

#include <errno.h>
#include <string.h>

#define SKIP_DEPTH_MAX 16

/* ---- encoder ---- */

void bac_buf_init(struct bac_buf *b, uint8_t *storage, size_t cap)
{
	b->data = storage;
	b->cap = cap;
	b->len = 0;
	b->overflow = false;
}

void bac_put(struct bac_buf *b, const void *bytes, size_t n)
{
	if (b->overflow || n > b->cap - b->len) {
		b->overflow = true;
		return;
	}
	if (n)
		memcpy(b->data + b->len, bytes, n);
	b->len += n;
}

void bac_put_u8(struct bac_buf *b, uint8_t v)
{
	bac_put(b, &v, 1);
}

static void put_be(struct bac_buf *b, uint32_t v, unsigned n)
{
	uint8_t o[4];

	for (unsigned i = 0; i < n; i++)
		o[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	bac_put(b, o, n);
}

void bac_enc_tag(struct bac_buf *b, uint8_t number, bool context, uint32_t lvt)
{
	uint8_t first = context ? 0x08 : 0x00;

	first |= number <= 14 ? (uint8_t)(number << 4) : 0xf0;
	first |= lvt < 5 ? (uint8_t)lvt : 5;
	bac_put_u8(b, first);
	if (number > 14)
		bac_put_u8(b, number);
	if (lvt < 5)
		return;
	if (lvt <= 253) {
		bac_put_u8(b, (uint8_t)lvt);
	} else if (lvt <= 0xffff) {
		bac_put_u8(b, 254);
		put_be(b, lvt, 2);
	} else {
		bac_put_u8(b, 255);
		put_be(b, lvt, 4);
	}
}

static void enc_special(struct bac_buf *b, uint8_t number, uint8_t lvt)
{
	bac_put_u8(b, (uint8_t)((number <= 14 ? number << 4 : 0xf0) | 0x08 | lvt));
	if (number > 14)
		bac_put_u8(b, number);
}

void bac_enc_open(struct bac_buf *b, uint8_t number)
{
	enc_special(b, number, 6);
}

void bac_enc_close(struct bac_buf *b, uint8_t number)
{
	enc_special(b, number, 7);
}

static unsigned unsigned_len(uint32_t v)
{
	return v < 0x100 ? 1 : v < 0x10000 ? 2 : v < 0x1000000 ? 3 : 4;
}

static unsigned signed_len(int32_t v)
{
	if (v >= -128 && v <= 127)
		return 1;
	if (v >= -32768 && v <= 32767)
		return 2;
	if (v >= -8388608 && v <= 8388607)
		return 3;
	return 4;
}

static void enc_unsigned_as(struct bac_buf *b, uint8_t tag, bool context, uint32_t v)
{
	unsigned n = unsigned_len(v);

	bac_enc_tag(b, tag, context, n);
	put_be(b, v, n);
}

static void enc_signed_as(struct bac_buf *b, uint8_t tag, bool context, int32_t v)
{
	unsigned n = signed_len(v);

	bac_enc_tag(b, tag, context, n);
	put_be(b, (uint32_t)v, n);
}

static void enc_real_as(struct bac_buf *b, uint8_t tag, bool context, float v)
{
	uint32_t bits;

	memcpy(&bits, &v, sizeof(bits));
	bac_enc_tag(b, tag, context, 4);
	put_be(b, bits, 4);
}

static void enc_octets_as(struct bac_buf *b, uint8_t tag, bool context, const uint8_t *p, size_t n)
{
	if (n > UINT32_MAX) {
		b->overflow = true;
		return;
	}
	bac_enc_tag(b, tag, context, (uint32_t)n);
	bac_put(b, p, n);
}

static void enc_string_as(struct bac_buf *b, uint8_t tag, bool context, const char *s, size_t n)
{
	if (n >= UINT32_MAX) {
		b->overflow = true;
		return;
	}
	bac_enc_tag(b, tag, context, (uint32_t)n + 1);
	bac_put_u8(b, BAC_CHARSET_UTF8);
	bac_put(b, s, n);
}

void bac_enc_null(struct bac_buf *b)
{
	bac_enc_tag(b, BAC_TAG_NULL, false, 0);
}

void bac_enc_bool(struct bac_buf *b, bool v)
{
	bac_enc_tag(b, BAC_TAG_BOOLEAN, false, v ? 1 : 0);
}

void bac_enc_unsigned(struct bac_buf *b, uint32_t v)
{
	enc_unsigned_as(b, BAC_TAG_UNSIGNED, false, v);
}

void bac_enc_signed(struct bac_buf *b, int32_t v)
{
	enc_signed_as(b, BAC_TAG_SIGNED, false, v);
}

void bac_enc_real(struct bac_buf *b, float v)
{
	enc_real_as(b, BAC_TAG_REAL, false, v);
}

void bac_enc_double(struct bac_buf *b, double v)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof(bits));
	bac_enc_tag(b, BAC_TAG_DOUBLE, false, 8);
	put_be(b, (uint32_t)(bits >> 32), 4);
	put_be(b, (uint32_t)bits, 4);
}

void bac_enc_octets(struct bac_buf *b, const uint8_t *p, size_t n)
{
	enc_octets_as(b, BAC_TAG_OCTET_STRING, false, p, n);
}

void bac_enc_string(struct bac_buf *b, const char *s)
{
	enc_string_as(b, BAC_TAG_CHARACTER_STRING, false, s, strlen(s));
}

void bac_enc_string_n(struct bac_buf *b, const char *s, size_t n)
{
	enc_string_as(b, BAC_TAG_CHARACTER_STRING, false, s, n);
}

void bac_enc_bits(struct bac_buf *b, const uint8_t *bits, unsigned nbits)
{
	unsigned n = (nbits + 7) / 8;

	bac_enc_tag(b, BAC_TAG_BIT_STRING, false, n + 1);
	bac_put_u8(b, (uint8_t)(n * 8 - nbits));
	bac_put(b, bits, n);
}

void bac_enc_bits32(struct bac_buf *b, uint32_t v, unsigned nbits)
{
	uint8_t bits[4] = { 0 };

	if (nbits > 32)
		nbits = 32;
	for (unsigned i = 0; i < nbits; i++)
		if ((v >> i) & 1)
			bits[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	bac_enc_bits(b, bits, nbits);
}

void bac_enc_enum(struct bac_buf *b, uint32_t v)
{
	enc_unsigned_as(b, BAC_TAG_ENUMERATED, false, v);
}

void bac_enc_date(struct bac_buf *b, const struct bac_date *d)
{
	uint8_t year = d->year == BAC_UNSPECIFIED || d->year < 1900 || d->year > 2154
		? BAC_UNSPECIFIED : (uint8_t)(d->year - 1900);
	uint8_t o[4] = { year, d->month, d->day, d->wday };

	bac_enc_tag(b, BAC_TAG_DATE, false, 4);
	bac_put(b, o, 4);
}

void bac_enc_time(struct bac_buf *b, const struct bac_time *t)
{
	uint8_t o[4] = { t->hour, t->min, t->sec, t->hundredths };

	bac_enc_tag(b, BAC_TAG_TIME, false, 4);
	bac_put(b, o, 4);
}

void bac_enc_objid(struct bac_buf *b, unsigned type, uint32_t instance)
{
	bac_enc_tag(b, BAC_TAG_OBJECT_ID, false, 4);
	put_be(b, bac_objid(type, instance), 4);
}

void bac_enc_ctx_bool(struct bac_buf *b, uint8_t tag, bool v)
{
	bac_enc_tag(b, tag, true, 1);
	bac_put_u8(b, v ? 1 : 0);
}

void bac_enc_ctx_unsigned(struct bac_buf *b, uint8_t tag, uint32_t v)
{
	enc_unsigned_as(b, tag, true, v);
}

void bac_enc_ctx_signed(struct bac_buf *b, uint8_t tag, int32_t v)
{
	enc_signed_as(b, tag, true, v);
}

void bac_enc_ctx_real(struct bac_buf *b, uint8_t tag, float v)
{
	enc_real_as(b, tag, true, v);
}

void bac_enc_ctx_enum(struct bac_buf *b, uint8_t tag, uint32_t v)
{
	enc_unsigned_as(b, tag, true, v);
}

void bac_enc_ctx_objid(struct bac_buf *b, uint8_t tag, unsigned type, uint32_t instance)
{
	bac_enc_tag(b, tag, true, 4);
	put_be(b, bac_objid(type, instance), 4);
}

void bac_enc_ctx_octets(struct bac_buf *b, uint8_t tag, const uint8_t *p, size_t n)
{
	enc_octets_as(b, tag, true, p, n);
}

void bac_enc_ctx_string(struct bac_buf *b, uint8_t tag, const char *s)
{
	enc_string_as(b, tag, true, s, strlen(s));
}

/* ---- decoder ---- */

void bac_reader_init(struct bac_reader *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->pos = 0;
}

static uint32_t get_be(const uint8_t *p, size_t n)
{
	uint32_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

int bac_peek_tag(const struct bac_reader *r, struct bac_tag *t)
{
	const uint8_t *p = r->p + r->pos;
	size_t avail = r->len - r->pos, h = 1;
	uint32_t lvt;

	if (r->pos >= r->len)
		return -ENODATA;
	t->context = p[0] & 0x08;
	t->number = p[0] >> 4;
	lvt = p[0] & 0x07;
	if (t->number == 15) {
		if (avail < 2 || p[1] == 0xff)
			return -EBADMSG;
		t->number = p[1];
		h = 2;
	}
	t->kind = BAC_TAG_PRIMITIVE;
	if (lvt >= 6) {
		if (!t->context)
			return -EBADMSG;
		t->kind = lvt == 6 ? BAC_TAG_OPENING : BAC_TAG_CLOSING;
		t->lvt = 0;
		t->header = h;
		return 0;
	}
	if (lvt == 5) {
		if (avail < h + 1)
			return -EBADMSG;
		lvt = p[h++];
		if (lvt == 254 || lvt == 255) {
			size_t n = lvt == 254 ? 2 : 4;

			if (avail < h + n)
				return -EBADMSG;
			lvt = get_be(p + h, n);
			h += n;
		}
	}
	t->lvt = lvt;
	t->header = h;
	if (!t->context && t->number == BAC_TAG_BOOLEAN)
		return lvt <= 1 ? 0 : -EBADMSG;
	if (lvt > avail - h)
		return -EBADMSG;
	return 0;
}

bool bac_next_is(const struct bac_reader *r, uint8_t number, enum bac_tag_kind kind)
{
	struct bac_tag t;

	return bac_peek_tag(r, &t) == 0 && t.context && t.number == number && t.kind == kind;
}

/* Unsigned and enumerated: 1 to 4 octets here; wider values are valid
 * BACnet but out of range for every field this server reads. */
static int dec_unsigned(const uint8_t *p, size_t n, uint32_t *v)
{
	if (n == 0 || n > 8)
		return -EBADMSG;
	if (n > 4)
		return -ERANGE;
	*v = get_be(p, n);
	return 0;
}

static int dec_signed(const uint8_t *p, size_t n, int32_t *v)
{
	uint32_t u;

	if (n == 0 || n > 8)
		return -EBADMSG;
	if (n > 4)
		return -ERANGE;
	u = get_be(p, n);
	if (n < 4 && (p[0] & 0x80))
		u |= ~0u << (8 * n);
	*v = (int32_t)u;
	return 0;
}

static int dec_string(const uint8_t *p, size_t n, const char **s, size_t *len)
{
	if (n == 0)
		return -EBADMSG;
	if (p[0] != BAC_CHARSET_UTF8)
		return -ENOTSUP;
	*s = (const char *)p + 1;
	*len = n - 1;
	return 0;
}

static int dec_bits(const uint8_t *p, size_t n, struct bac_datum *d)
{
	if (n == 0 || p[0] > 7 || (n == 1 && p[0] != 0) || n - 1 > UINT32_MAX / 8)
		return -EBADMSG;
	d->v.bits.p = p + 1;
	d->v.bits.nbits = (unsigned)((n - 1) * 8 - p[0]);
	return 0;
}

static int dec_primitive(uint8_t tag, const uint8_t *p, size_t n, struct bac_datum *d)
{
	uint32_t u;

	switch (tag) {
	case BAC_TAG_NULL:
		return n == 0 ? 0 : -EBADMSG;
	case BAC_TAG_UNSIGNED:
	case BAC_TAG_ENUMERATED:
		return dec_unsigned(p, n, &d->v.u);
	case BAC_TAG_SIGNED:
		return dec_signed(p, n, &d->v.s);
	case BAC_TAG_REAL:
		if (n != 4)
			return -EBADMSG;
		u = get_be(p, 4);
		memcpy(&d->v.real, &u, 4);
		return 0;
	case BAC_TAG_DOUBLE: {
		uint64_t bits;

		if (n != 8)
			return -EBADMSG;
		bits = (uint64_t)get_be(p, 4) << 32 | get_be(p + 4, 4);
		memcpy(&d->v.dbl, &bits, 8);
		return 0;
	}
	case BAC_TAG_OCTET_STRING:
		d->v.octets.p = p;
		d->v.octets.len = n;
		return 0;
	case BAC_TAG_CHARACTER_STRING:
		return dec_string(p, n, &d->v.string.p, &d->v.string.len);
	case BAC_TAG_BIT_STRING:
		return dec_bits(p, n, d);
	case BAC_TAG_DATE:
		if (n != 4)
			return -EBADMSG;
		d->v.date = (struct bac_date) { p[0] == 0xff ? BAC_UNSPECIFIED : (uint16_t)(1900 + p[0]),
						p[1], p[2], p[3] };
		return 0;
	case BAC_TAG_TIME:
		if (n != 4)
			return -EBADMSG;
		d->v.time = (struct bac_time) { p[0], p[1], p[2], p[3] };
		return 0;
	case BAC_TAG_OBJECT_ID:
		if (n != 4)
			return -EBADMSG;
		d->v.u = get_be(p, 4);
		return 0;
	default:
		return -EBADMSG;
	}
}

int bac_dec_app(struct bac_reader *r, struct bac_datum *d)
{
	struct bac_tag t;
	int ret = bac_peek_tag(r, &t);

	if (ret == -ENODATA)
		return -EBADMSG;
	if (ret < 0)
		return ret;
	if (t.context || t.kind != BAC_TAG_PRIMITIVE)
		return -EBADMSG;
	d->tag = t.number;
	if (t.number == BAC_TAG_BOOLEAN) {
		d->v.boolean = t.lvt;
		r->pos += t.header;
		return 0;
	}
	ret = dec_primitive(t.number, r->p + r->pos + t.header, t.lvt, d);
	if (ret < 0)
		return ret;
	r->pos += t.header + t.lvt;
	return 0;
}

static int dec_special(struct bac_reader *r, uint8_t number, enum bac_tag_kind kind)
{
	struct bac_tag t;

	if (bac_peek_tag(r, &t) < 0 || !t.context || t.number != number || t.kind != kind)
		return -EBADMSG;
	r->pos += t.header;
	return 0;
}

int bac_dec_open(struct bac_reader *r, uint8_t number)
{
	return dec_special(r, number, BAC_TAG_OPENING);
}

int bac_dec_close(struct bac_reader *r, uint8_t number)
{
	return dec_special(r, number, BAC_TAG_CLOSING);
}

/* The content of context primitive [tag], consumed on success. */
static int ctx_content(struct bac_reader *r, uint8_t tag, const uint8_t **p, size_t *n)
{
	struct bac_tag t;
	int ret = bac_peek_tag(r, &t);

	if (ret == -ENODATA)
		return -ENOENT;
	if (ret < 0)
		return ret;
	if (!t.context || t.number != tag || t.kind != BAC_TAG_PRIMITIVE)
		return -ENOENT;
	*p = r->p + r->pos + t.header;
	*n = t.lvt;
	return 0;
}

int bac_dec_ctx_unsigned(struct bac_reader *r, uint8_t tag, uint32_t *v)
{
	const uint8_t *p;
	size_t n;
	int ret = ctx_content(r, tag, &p, &n);

	if (ret == 0 && (ret = dec_unsigned(p, n, v)) == 0)
		r->pos = (size_t)(p - r->p) + n;
	return ret;
}

int bac_dec_ctx_enum(struct bac_reader *r, uint8_t tag, uint32_t *v)
{
	return bac_dec_ctx_unsigned(r, tag, v);
}

int bac_dec_ctx_bool(struct bac_reader *r, uint8_t tag, bool *v)
{
	const uint8_t *p;
	size_t n;
	int ret = ctx_content(r, tag, &p, &n);

	if (ret < 0)
		return ret;
	if (n != 1 || p[0] > 1)
		return -EBADMSG;
	*v = p[0];
	r->pos = (size_t)(p - r->p) + n;
	return 0;
}

int bac_dec_ctx_objid(struct bac_reader *r, uint8_t tag, uint32_t *id)
{
	const uint8_t *p;
	size_t n;
	int ret = ctx_content(r, tag, &p, &n);

	if (ret < 0)
		return ret;
	if (n != 4)
		return -EBADMSG;
	*id = get_be(p, 4);
	r->pos = (size_t)(p - r->p) + n;
	return 0;
}

int bac_dec_ctx_string(struct bac_reader *r, uint8_t tag, const char **s, size_t *len)
{
	const uint8_t *p;
	size_t n;
	int ret = ctx_content(r, tag, &p, &n);

	if (ret == 0 && (ret = dec_string(p, n, s, len)) == 0)
		r->pos = (size_t)(p - r->p) + n;
	return ret;
}

int bac_skip(struct bac_reader *r)
{
	uint8_t open[SKIP_DEPTH_MAX];
	unsigned depth = 0;
	struct bac_tag t;

	do {
		int ret = bac_peek_tag(r, &t);

		if (ret < 0)
			return -EBADMSG;
		if (t.kind == BAC_TAG_OPENING) {
			if (depth == SKIP_DEPTH_MAX)
				return -EBADMSG;
			open[depth++] = t.number;
		} else if (t.kind == BAC_TAG_CLOSING) {
			if (depth == 0 || open[depth - 1] != t.number)
				return -EBADMSG;
			depth--;
		}
		r->pos += t.header;
		if (t.kind == BAC_TAG_PRIMITIVE && !(!t.context && t.number == BAC_TAG_BOOLEAN))
			r->pos += t.lvt;
	} while (depth > 0);
	return 0;
}
