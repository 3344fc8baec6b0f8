/* BACnet tag encoding (ASHRAE 135 clause 20.2): application and context
 * tags, opening/closing tags, primitive values. The encoder writes into
 * a fixed buffer and remembers an overflow instead of failing each call;
 * the decoder reads from a bounded cursor and returns -EBADMSG on any
 * malformed or truncated input, never reading past it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bac_app_tag {
	BAC_TAG_NULL = 0,
	BAC_TAG_BOOLEAN = 1,
	BAC_TAG_UNSIGNED = 2,
	BAC_TAG_SIGNED = 3,
	BAC_TAG_REAL = 4,
	BAC_TAG_DOUBLE = 5,
	BAC_TAG_OCTET_STRING = 6,
	BAC_TAG_CHARACTER_STRING = 7,
	BAC_TAG_BIT_STRING = 8,
	BAC_TAG_ENUMERATED = 9,
	BAC_TAG_DATE = 10,
	BAC_TAG_TIME = 11,
	BAC_TAG_OBJECT_ID = 12,
};

#define BAC_CHARSET_UTF8 0
#define BAC_UNSPECIFIED 0xff            /* a date or time field left open */
#define BAC_INSTANCE_MAX 0x3fffff       /* 22 bits */

struct bac_date { uint16_t year; uint8_t month, day, wday; };  /* year 1900..2154, 255 = any */
struct bac_time { uint8_t hour, min, sec, hundredths; };

static inline uint32_t bac_objid(unsigned type, uint32_t instance)
{
	return ((uint32_t)type & 0x3ff) << 22 | (instance & BAC_INSTANCE_MAX);
}
static inline unsigned bac_objid_type(uint32_t id) { return id >> 22; }
static inline uint32_t bac_objid_instance(uint32_t id) { return id & BAC_INSTANCE_MAX; }

/* ---- encoder ---- */

struct bac_buf {
	uint8_t *data;
	size_t cap, len;
	bool overflow;          /* something did not fit; data is incomplete */
};

void bac_buf_init(struct bac_buf *b, uint8_t *storage, size_t cap);
void bac_put(struct bac_buf *b, const void *bytes, size_t n);
void bac_put_u8(struct bac_buf *b, uint8_t v);

void bac_enc_tag(struct bac_buf *b, uint8_t number, bool context, uint32_t lvt);
void bac_enc_open(struct bac_buf *b, uint8_t number);
void bac_enc_close(struct bac_buf *b, uint8_t number);

/* Application-tagged values. */
void bac_enc_null(struct bac_buf *b);
void bac_enc_bool(struct bac_buf *b, bool v);
void bac_enc_unsigned(struct bac_buf *b, uint32_t v);
void bac_enc_signed(struct bac_buf *b, int32_t v);
void bac_enc_real(struct bac_buf *b, float v);
void bac_enc_double(struct bac_buf *b, double v);
void bac_enc_octets(struct bac_buf *b, const uint8_t *p, size_t n);
void bac_enc_string(struct bac_buf *b, const char *s);             /* UTF-8, charset 0 */
void bac_enc_string_n(struct bac_buf *b, const char *s, size_t n);
/* bits[i / 8] bit (7 - i % 8) is bit i, as on the wire. */
void bac_enc_bits(struct bac_buf *b, const uint8_t *bits, unsigned nbits);
void bac_enc_bits32(struct bac_buf *b, uint32_t v, unsigned nbits);  /* bit i = (v >> i) & 1 */
void bac_enc_enum(struct bac_buf *b, uint32_t v);
void bac_enc_date(struct bac_buf *b, const struct bac_date *d);
void bac_enc_time(struct bac_buf *b, const struct bac_time *t);
void bac_enc_objid(struct bac_buf *b, unsigned type, uint32_t instance);

/* Context-tagged values. */
void bac_enc_ctx_bool(struct bac_buf *b, uint8_t tag, bool v);
void bac_enc_ctx_unsigned(struct bac_buf *b, uint8_t tag, uint32_t v);
void bac_enc_ctx_signed(struct bac_buf *b, uint8_t tag, int32_t v);
void bac_enc_ctx_real(struct bac_buf *b, uint8_t tag, float v);
void bac_enc_ctx_enum(struct bac_buf *b, uint8_t tag, uint32_t v);
void bac_enc_ctx_objid(struct bac_buf *b, uint8_t tag, unsigned type, uint32_t instance);
void bac_enc_ctx_octets(struct bac_buf *b, uint8_t tag, const uint8_t *p, size_t n);
void bac_enc_ctx_string(struct bac_buf *b, uint8_t tag, const char *s);

/* ---- decoder ---- */

struct bac_reader {
	const uint8_t *p;
	size_t len, pos;
};

enum bac_tag_kind { BAC_TAG_PRIMITIVE, BAC_TAG_OPENING, BAC_TAG_CLOSING };

struct bac_tag {
	uint8_t number;
	bool context;
	enum bac_tag_kind kind;
	uint32_t lvt;           /* content length, or an application boolean's value */
	size_t header;          /* octets of the tag itself */
};

/* A decoded application value. Strings and octets point into the input. */
struct bac_datum {
	enum bac_app_tag tag;
	union {
		bool boolean;
		uint32_t u;             /* UNSIGNED, ENUMERATED, OBJECT_ID */
		int32_t s;
		float real;
		double dbl;
		struct { const uint8_t *p; size_t len; } octets;
		struct { const char *p; size_t len; } string;   /* charset 0 only */
		struct { const uint8_t *p; unsigned nbits; } bits;
		struct bac_date date;
		struct bac_time time;
	} v;
};

void bac_reader_init(struct bac_reader *r, const uint8_t *p, size_t len);
static inline bool bac_at_end(const struct bac_reader *r) { return r->pos >= r->len; }

/* The next tag without consuming it; a primitive tag's content must be
 * present in full. -ENODATA at the end, -EBADMSG if malformed. */
int bac_peek_tag(const struct bac_reader *r, struct bac_tag *t);
/* True if the next tag is context tag [number] of [kind]. */
bool bac_next_is(const struct bac_reader *r, uint8_t number, enum bac_tag_kind kind);

int bac_dec_app(struct bac_reader *r, struct bac_datum *d);
int bac_dec_open(struct bac_reader *r, uint8_t number);
int bac_dec_close(struct bac_reader *r, uint8_t number);
/* Context-tagged primitives: -ENOENT if the next tag is not [tag] (an
 * absent optional field; nothing consumed), -EBADMSG if malformed. */
int bac_dec_ctx_unsigned(struct bac_reader *r, uint8_t tag, uint32_t *v);
int bac_dec_ctx_enum(struct bac_reader *r, uint8_t tag, uint32_t *v);
int bac_dec_ctx_bool(struct bac_reader *r, uint8_t tag, bool *v);
int bac_dec_ctx_objid(struct bac_reader *r, uint8_t tag, uint32_t *id);
int bac_dec_ctx_string(struct bac_reader *r, uint8_t tag, const char **s, size_t *len);
/* Skips one complete value: a primitive, or an opening tag through its
 * matching closing tag (nesting capped). */
int bac_skip(struct bac_reader *r);
