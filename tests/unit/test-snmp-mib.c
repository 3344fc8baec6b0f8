/* The MIB view (src/snmp/mib.c) with builders of its own: sorting, GET
 * and GETNEXT at every boundary, roots, duplicates refused, bad names
 * refused, and the real root table (mib_tables.c is not linked here, so
 * its roots are checked by value). */
#include "snmp/mib.c"

#include "maps-test.h"

static struct tap t;
static bool add_duplicate;
static bool add_too_long;

#define OIDLEN(a) (sizeof(a) / sizeof((a)[0]))

/* Added out of order on purpose: the view must sort. */
static void build_b(struct mib_builder *b, const struct mib_source *src)
{
	static const mib_oid z[] = { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 7, 1, 2, 1, 0 };
	static const mib_oid y[] = { 1, 3, 6, 1, 2, 1, 1, 5, 0 };
	static const mib_oid x[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	static const mib_oid w[] = { 1, 3, 6, 1, 2, 1, 1, 2, 0 };
	static const mib_oid oidval[] = { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 1 };

	(void)src;
	mib_add_int(b, z, OIDLEN(z), MIB_GAUGE32, 42);
	mib_add_string(b, y, OIDLEN(y), "gateway");
	mib_add_string(b, x, OIDLEN(x), "descr");
	mib_add_oid(b, w, OIDLEN(w), oidval, OIDLEN(oidval));
}

static int set_check(struct snmp_ctx *ctx, const struct mib_name *name, const struct mib_value *v,
		     const char **why)
{
	(void)ctx, (void)name, (void)v, (void)why;
	return 0;
}

static const struct mib_set set_int = { MIB_INTEGER, set_check, NULL };

static void build_a(struct mib_builder *b, const struct mib_source *src)
{
	static const mib_oid base[] = { 1, 3, 6, 1, 2, 1, 33, 1, 2 };
	struct mib_name n;
	struct mib_value v = { .type = MIB_INTEGER, .i = 2 };

	(void)src;
	/* upsBatteryStatus .1.0 and a 2-row table column .3.{1,2}.{1,10} */
	mib_name_make(&n, base, OIDLEN(base), 2, 1, 0);
	mib_add(b, n.id, n.len, &v, &set_int);
	for (int row = 10; row >= 1; row -= 9)
		for (int col = 2; col >= 1; col--) {
			mib_name_make(&n, base, OIDLEN(base), 3, 3, col, row);
			mib_add_int(b, n.id, n.len, MIB_INTEGER, col * 100 + row);
		}
	if (add_duplicate) {
		mib_name_make(&n, base, OIDLEN(base), 2, 1, 0);
		mib_add_int(b, n.id, n.len, MIB_INTEGER, 1);
	}
	if (add_too_long) {
		mib_oid longname[MIB_OID_MAX + 1] = { 1, 3 };
		mib_add_int(b, longname, OIDLEN(longname), MIB_INTEGER, 1);
	}
}

const struct mib_module mib_builders[] = {
	{ "b", build_b },
	{ "a", build_a },
	{ NULL, NULL },
};

const struct mib_root mib_roots[] = {
	{ "system", { 1, 3, 6, 1, 2, 1, 1 }, 7 },
	{ "upsMIB", { 1, 3, 6, 1, 2, 1, 33 }, 7 },
	{ NULL, { 0 }, 0 },
};

static bool name_is(const struct mib_name *n, const mib_oid *want, size_t len)
{
	return n->len == len && memcmp(n->id, want, len * sizeof(*want)) == 0;
}

static void check_order(const struct mib_view *v)
{
	tap_int(&t, (long)mib_view_size(v), 9, "view size");
	for (size_t i = 1; i < v->n; i++)
		CHECK(&t, mib_entry_cmp(&v->entries[i - 1], &v->entries[i]) < 0, "entry %zu sorted", i);
	/* A prefix sorts before its extensions, 2 before 10 (numeric, not text). */
	static const mib_oid r1c1[] = { 1, 3, 6, 1, 2, 1, 33, 1, 2, 3, 1, 1 };
	static const mib_oid r10c1[] = { 1, 3, 6, 1, 2, 1, 33, 1, 2, 3, 1, 10 };
	CHECK(&t, name_is(&v->entries[4].name, r1c1, OIDLEN(r1c1)), "column 1 row 1 after scalar");
	CHECK(&t, name_is(&v->entries[5].name, r10c1, OIDLEN(r10c1)), "row 10 after row 1");
}

static void check_get(const struct mib_view *v)
{
	static const mib_oid descr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	static const mib_oid status[] = { 1, 3, 6, 1, 2, 1, 33, 1, 2, 1, 0 };
	static const mib_oid object[] = { 1, 3, 6, 1, 2, 1, 1, 1 };
	static const mib_oid longer[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0, 0 };
	static const mib_oid oidobj[] = { 1, 3, 6, 1, 2, 1, 1, 2, 0 };
	const struct mib_set *set = (const struct mib_set *)&t;
	const struct mib_value *val;

	val = mib_view_get(v, descr, OIDLEN(descr), &set);
	CHECK(&t, val && val->type == MIB_OCTETS && val->len == 5 && !strcmp(val->s, "descr"),
	      "get sysDescr.0");
	CHECK(&t, set == NULL, "sysDescr.0 read-only");
	val = mib_view_get(v, status, OIDLEN(status), &set);
	CHECK(&t, val && val->type == MIB_INTEGER && val->i == 2 && set == &set_int,
	      "get writable object with its set");
	CHECK(&t, !mib_view_get(v, object, OIDLEN(object), &set) && !set, "object without .0: none");
	CHECK(&t, !mib_view_get(v, longer, OIDLEN(longer), NULL), "instance extended: none");
	CHECK(&t, !mib_view_get(v, descr, 0, NULL), "empty name: none");
	CHECK(&t, !mib_view_get(NULL, descr, OIDLEN(descr), NULL), "no view: none");
	val = mib_view_get(v, oidobj, OIDLEN(oidobj), NULL);
	CHECK(&t, val && val->type == MIB_OBJECT_ID && val->len == 10 && val->oid[6] == 4555,
	      "object identifier value");
}

static void check_next(const struct mib_view *v)
{
	static const mib_oid zero[] = { 0 };
	static const mib_oid descr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	static const mib_oid descr_obj[] = { 1, 3, 6, 1, 2, 1, 1, 1 };
	static const mib_oid after_name[] = { 1, 3, 6, 1, 2, 1, 1, 5, 0 };
	static const mib_oid status[] = { 1, 3, 6, 1, 2, 1, 33, 1, 2, 1, 0 };
	static const mib_oid col2[] = { 1, 3, 6, 1, 2, 1, 33, 1, 2, 3, 2 };
	static const mib_oid r1c2[] = { 1, 3, 6, 1, 2, 1, 33, 1, 2, 3, 2, 1 };
	static const mib_oid r10c2[] = { 1, 3, 6, 1, 2, 1, 33, 1, 2, 3, 2, 10 };
	static const mib_oid nv[] = { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 7, 1, 2, 1, 0 };
	mib_oid deep[MIB_OID_MAX + 4];
	struct mib_name sys = { { 1, 3, 6, 1, 2, 1, 1 }, 7 };
	struct mib_name ups = { { 1, 3, 6, 1, 2, 1, 33 }, 7 };
	struct mib_name next;
	const struct mib_value *val;

	val = mib_view_next(v, zero, 1, NULL, &next);
	CHECK(&t, val && name_is(&next, descr, OIDLEN(descr)), "next of .0 is the first");
	val = mib_view_next(v, descr_obj, OIDLEN(descr_obj), &sys, &next);
	CHECK(&t, val && name_is(&next, descr, OIDLEN(descr)), "next of an object is its .0");
	val = mib_view_next(v, descr, OIDLEN(descr), &sys, &next);
	CHECK(&t, val && val->type == MIB_OBJECT_ID, "next is strictly after");
	val = mib_view_next(v, after_name, OIDLEN(after_name), &sys, &next);
	CHECK(&t, !val, "end of the system root");
	val = mib_view_next(v, after_name, OIDLEN(after_name), NULL, &next);
	CHECK(&t, val && name_is(&next, status, OIDLEN(status)), "no root: crosses into the next");
	val = mib_view_next(v, descr, OIDLEN(descr), &ups, &next);
	CHECK(&t, val && name_is(&next, status, OIDLEN(status)), "before the root: root's first");
	val = mib_view_next(v, col2, OIDLEN(col2), &ups, &next);
	CHECK(&t, val && name_is(&next, r1c2, OIDLEN(r1c2)) && val->i == 201, "column walk starts");
	val = mib_view_next(v, r1c2, OIDLEN(r1c2), &ups, &next);
	CHECK(&t, val && name_is(&next, r10c2, OIDLEN(r10c2)) && val->i == 210, "row 10 after row 1");
	val = mib_view_next(v, r10c2, OIDLEN(r10c2), &ups, &next);
	CHECK(&t, !val, "end of the upsMIB root");
	val = mib_view_next(v, r10c2, OIDLEN(r10c2), NULL, &next);
	CHECK(&t, val && name_is(&next, nv, OIDLEN(nv)) && val->i == 42, "enterprise after mib-2");
	val = mib_view_next(v, nv, OIDLEN(nv), NULL, &next);
	CHECK(&t, !val, "end of the view");
	/* Longer than any stored name: still ordered correctly. */
	memcpy(deep, descr, sizeof(descr));
	for (size_t i = OIDLEN(descr); i < OIDLEN(deep); i++)
		deep[i] = 7;
	val = mib_view_next(v, deep, OIDLEN(deep), &sys, &next);
	CHECK(&t, val && val->type == MIB_OBJECT_ID, "over-long name: next after its prefix");
	CHECK(&t, !mib_view_next(NULL, zero, 1, NULL, &next), "no view: end");
}

static void check_errors(const struct mib_source *src)
{
	struct mib_view *v = (struct mib_view *)&t;

	add_duplicate = true;
	tap_int(&t, mib_view_build(&v, src), -EEXIST, "duplicate OID refused");
	CHECK(&t, v == NULL, "no view on error");
	add_duplicate = false;
	add_too_long = true;
	tap_int(&t, mib_view_build(&v, src), -EINVAL, "over-long OID refused");
	add_too_long = false;
	mib_view_free(NULL);
}

static void check_name_make(void)
{
	static const mib_oid base[] = { 1, 3, 6 };
	struct mib_name n;
	mib_oid full[MIB_OID_MAX] = { 0 };

	mib_name_make(&n, base, 3, 3, 4, 0, 4555);
	CHECK(&t, n.len == 6 && n.id[3] == 4 && n.id[4] == 0 && n.id[5] == 4555, "name_make");
	mib_name_make(&n, full, MIB_OID_MAX, 1, 1);
	CHECK(&t, n.len == 0, "name_make past the maximum gives the empty name");
}

int main(void)
{
	struct mib_source src = { 0 };
	struct mib_view *v;

	tap_int(&t, mib_view_build(&v, &src), 0, "view builds");
	if (v) {
		check_order(v);
		check_get(v);
		check_next(v);
	}
	mib_view_free(v);
	check_errors(&src);
	check_name_make();
	printf("1..%d\n", t.n);
	return t.failed ? 1 : 0;
}
