/* The MIB view: every instance the builders add, sorted by OID, searched
 * by GET (exact) and GETNEXT (strictly after, below a root). The module
 * and root tables live in mib_tables.c so unit tests can link their own. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "snmp/mib.h"

struct mib_entry {
	struct mib_name name;
	struct mib_value value;
	const struct mib_set *set;
	const char *module;             /* which builder added it, for errors */
};

struct mib_builder {
	struct mib_entry *entries;
	size_t n, cap;
	const char *module;
	int error;                      /* first -errno; the view is not built */
};

struct mib_view {
	struct mib_entry *entries;
	size_t n;
};

static int mib_name_cmp(const mib_oid *a, size_t alen, const mib_oid *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	if (alen == blen)
		return 0;
	return alen < blen ? -1 : 1;
}

static bool mib_name_under(const mib_oid *name, size_t len, const mib_oid *root, size_t rlen)
{
	return len >= rlen && memcmp(name, root, rlen * sizeof(*root)) == 0;
}

static void mib_name_format(char *buf, size_t size, const mib_oid *name, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && off < size; i++) {
		int n = snprintf(buf + off, size - off, ".%u", (unsigned)name[i]);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

static struct mib_entry *mib_builder_push(struct mib_builder *b, const mib_oid *name, size_t len)
{
	struct mib_entry *e;

	if (b->error)
		return NULL;
	if (len == 0 || len > MIB_OID_MAX) {
		log_error("snmp: %s adds an OID of %zu sub-identifiers", b->module, len);
		b->error = -EINVAL;
		return NULL;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		struct mib_entry *grown = reallocarray(b->entries, cap, sizeof(*grown));
		if (!grown) {
			b->error = -ENOMEM;
			return NULL;
		}
		b->entries = grown;
		b->cap = cap;
	}
	e = &b->entries[b->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->name.id, name, len * sizeof(*name));
	e->name.len = len;
	e->module = b->module;
	return e;
}

void mib_add(struct mib_builder *b, const mib_oid *name, size_t len, const struct mib_value *v,
	     const struct mib_set *set)
{
	struct mib_entry *e = mib_builder_push(b, name, len);

	if (!e)
		return;
	e->value = *v;
	e->set = set;
}

void mib_add_int(struct mib_builder *b, const mib_oid *name, size_t len, enum mib_type type,
		 long long v)
{
	struct mib_entry *e = mib_builder_push(b, name, len);

	if (!e)
		return;
	e->value.type = type;
	e->value.i = v;
}

void mib_add_string(struct mib_builder *b, const mib_oid *name, size_t len, const char *s)
{
	struct mib_entry *e = mib_builder_push(b, name, len);
	size_t n = strlen(s);     /* every source is a C string */

	if (!e)
		return;
	if (n > MIB_STRING_MAX - 1)
		n = MIB_STRING_MAX - 1;
	e->value.type = MIB_OCTETS;
	memcpy(e->value.s, s, n);
	e->value.s[n] = '\0';
	e->value.len = n;
}

void mib_add_oid(struct mib_builder *b, const mib_oid *name, size_t len, const mib_oid *v,
		 size_t vlen)
{
	struct mib_entry *e = mib_builder_push(b, name, len);

	if (!e)
		return;
	if (vlen > MIB_OID_MAX) {
		log_error("snmp: %s adds an OID value of %zu sub-identifiers", b->module, vlen);
		b->error = -EINVAL;
		return;
	}
	e->value.type = MIB_OBJECT_ID;
	memcpy(e->value.oid, v, vlen * sizeof(*v));
	e->value.len = vlen;
}

void mib_name_make(struct mib_name *out, const mib_oid *base, size_t len, int n, ...)
{
	va_list ap;

	/* A name longer than MIB_OID_MAX is a builder bug: the empty name
	 * makes mib_add refuse it loudly instead of truncating silently. */
	if (len + (size_t)(n < 0 ? 0 : n) > MIB_OID_MAX || n < 0) {
		out->len = 0;
		return;
	}
	memcpy(out->id, base, len * sizeof(*base));
	out->len = len;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		out->id[out->len++] = (mib_oid)va_arg(ap, int);
	va_end(ap);
}

static int mib_entry_cmp(const void *pa, const void *pb)
{
	const struct mib_entry *a = pa, *b = pb;

	return mib_name_cmp(a->name.id, a->name.len, b->name.id, b->name.len);
}

/* Two builders (or one builder twice) serving the same instance is a bug
 * the unit tests must catch: refuse the view and name both culprits. */
static int mib_check_duplicates(const struct mib_entry *e, size_t n)
{
	char buf[MIB_OID_MAX * 11 + 1];

	for (size_t i = 1; i < n; i++) {
		if (mib_entry_cmp(&e[i - 1], &e[i]) != 0)
			continue;
		mib_name_format(buf, sizeof(buf), e[i].name.id, e[i].name.len);
		log_error("snmp: OID %s added twice (by %s and %s)", buf, e[i - 1].module,
			  e[i].module);
		return -EEXIST;
	}
	return 0;
}

int mib_view_build(struct mib_view **out, const struct mib_source *src)
{
	struct mib_builder b = { 0 };
	struct mib_view *v;
	int r;

	*out = NULL;
	for (const struct mib_module *m = mib_builders; m->name; m++) {
		b.module = m->name;
		m->build(&b, src);
	}
	r = b.error;
	if (r < 0)
		goto fail;
	qsort(b.entries, b.n, sizeof(*b.entries), mib_entry_cmp);
	r = mib_check_duplicates(b.entries, b.n);
	if (r < 0)
		goto fail;
	v = calloc(1, sizeof(*v));
	if (!v) {
		r = -ENOMEM;
		goto fail;
	}
	v->entries = b.entries;
	v->n = b.n;
	*out = v;
	return 0;
fail:
	free(b.entries);
	return r;
}

void mib_view_free(struct mib_view *v)
{
	if (!v)
		return;
	free(v->entries);
	free(v);
}

size_t mib_view_size(const struct mib_view *v)
{
	return v ? v->n : 0;
}

/* Index of the first entry whose name is > [name] (or >= when [equal]). */
static size_t mib_view_bound(const struct mib_view *v, const mib_oid *name, size_t len,
			     bool equal)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = mib_name_cmp(v->entries[mid].name.id, v->entries[mid].name.len, name, len);
		if (c < 0 || (c == 0 && !equal))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct mib_value *mib_view_get(const struct mib_view *v, const mib_oid *name, size_t len,
				     const struct mib_set **set)
{
	size_t i;

	if (set)
		*set = NULL;
	if (!v || len == 0 || len > MIB_OID_MAX)
		return NULL;
	i = mib_view_bound(v, name, len, true);
	if (i == v->n || mib_name_cmp(v->entries[i].name.id, v->entries[i].name.len, name, len))
		return NULL;
	if (set)
		*set = v->entries[i].set;
	return &v->entries[i].value;
}

const struct mib_value *mib_view_next(const struct mib_view *v, const mib_oid *name, size_t len,
				      const struct mib_name *root, struct mib_name *next)
{
	const struct mib_entry *e;
	size_t i;

	if (!v)
		return NULL;
	if (len > MIB_OID_MAX)
		len = MIB_OID_MAX;      /* every stored name is shorter: same successor */
	i = mib_view_bound(v, name, len, false);
	/* A name before the root: its successor within the root is the
	 * root's first instance, not whatever lies in between. */
	if (root && mib_name_cmp(name, len, root->id, root->len) < 0)
		i = mib_view_bound(v, root->id, root->len, true);
	if (i == v->n)
		return NULL;
	e = &v->entries[i];
	if (root && !mib_name_under(e->name.id, e->name.len, root->id, root->len))
		return NULL;
	*next = e->name;
	return &e->value;
}
