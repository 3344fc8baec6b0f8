/* Snapshot refcount, dup, the channel's replace semantics and its use
 * across threads. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/snapshot.h"

#include "check.h"

static unsigned refs(const struct snapshot *s)
{
	return __atomic_load_n(&s->refs, __ATOMIC_RELAXED);
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

static void test_lifetime(void)
{
	struct snapshot *s = snapshot_new(), *d;

	CHECK(s && refs(s) == 1, "new snapshot has one ref");
	CHECK(isnan(s->levels[0].meas[MEAS_OUTPUT_LOAD]) &&
	      isnan(s->levels[MODEL_MAX_LEVELS - 1].meas[MEAS_BATTERY_RUNTIME]),
	      "new snapshot's measurements are NAN");
	CHECK(s->comm == COMM_STARTING && s->n_raw == 0, "new snapshot is empty");
	CHECK(snapshot_ref(s) == s && refs(s) == 2, "ref returns s and counts");
	s->seq = 41;
	s->levels[0].meas[MEAS_OUTPUT_LOAD] = 37.5;
	d = snapshot_dup(s);
	CHECK(d && d != s && refs(d) == 1, "dup has its own single ref");
	CHECK(d->seq == 41 && d->levels[0].meas[MEAS_OUTPUT_LOAD] == 37.5, "dup copies values");
	snapshot_unref(s);
	CHECK(refs(s) == 1, "unref counts down");
	snapshot_unref(s);
	snapshot_unref(d);
	snapshot_unref(NULL);
	CHECK(snapshot_ref(NULL) == NULL, "ref of NULL is NULL");
}

static void test_reg(void)
{
	struct snapshot *s = snapshot_new();
	uint16_t v = 0;

	s->n_raw = 2;
	s->raw[0] = (struct raw_block){ .slave = 1, .address = 0x1020, .count = 4 };
	s->raw[0].regs[3] = 0xBEEF;
	s->raw[1] = (struct raw_block){ .slave = 2, .address = 0x1020, .count = 4 };
	s->raw[1].regs[3] = 0x1234;
	CHECK(snapshot_reg(s, 1, 0x1023, &v) == 0 && v == 0xBEEF, "reg in first block");
	CHECK(snapshot_reg(s, 2, 0x1023, &v) == 0 && v == 0x1234, "reg by slave");
	CHECK(snapshot_reg(s, 1, 0x1024, &v) == -ENOENT, "one past the block");
	CHECK(snapshot_reg(s, 1, 0x101F, &v) == -ENOENT, "one before the block");
	CHECK(snapshot_reg(s, 3, 0x1020, &v) == -ENOENT, "unknown slave");
	CHECK(snapshot_reg(s, 1, 0x11020, &v) == -ENOENT, "address beyond 16 bits");
	snapshot_unref(s);
}

static void test_channel(void)
{
	struct snap_channel *ch = NULL;
	struct snapshot *a = snapshot_new(), *b = snapshot_new(), *t;

	CHECK(snapchan_new(&ch) == 0 && ch, "channel created");
	CHECK(!readable(snapchan_fd(ch)), "fresh channel not readable");
	CHECK(snapchan_take(ch) == NULL, "take on empty channel");
	a->seq = 1;
	b->seq = 2;
	snapshot_ref(a);                /* watch a after the channel drops it */
	snapchan_publish(ch, a);
	CHECK(readable(snapchan_fd(ch)), "readable after publish");
	CHECK(refs(a) == 2, "channel holds a's published ref");
	snapchan_publish(ch, b);
	CHECK(refs(a) == 1, "newer snapshot replaced and unref'd the older");
	t = snapchan_take(ch);
	CHECK(t == b, "take returns the newest");
	CHECK(!readable(snapchan_fd(ch)), "not readable after take");
	CHECK(snapchan_take(ch) == NULL, "slot is empty after take");
	snapshot_unref(t);
	snapshot_unref(a);
	/* A pending snapshot is released with the channel. */
	snapchan_publish(ch, snapshot_new());
	snapchan_free(ch);
	snapchan_free(NULL);
}

#define N_PUBLISH 20000

struct producer {
	struct snap_channel *ch;
};

static void *producer_main(void *arg)
{
	struct producer *pr = arg;

	for (uint64_t i = 1; i <= N_PUBLISH; i++) {
		struct snapshot *s = snapshot_new();

		if (!s)
			abort();
		s->seq = i;
		snapchan_publish(pr->ch, s);
	}
	return NULL;
}

/* The consumer sees strictly increasing sequence numbers and always ends
 * with the last one; under ASan a leak or double free fails the test. */
static void test_threads(void)
{
	struct producer pr;
	pthread_t th;
	uint64_t last = 0, seen = 0;
	struct pollfd pfd;

	CHECK(snapchan_new(&pr.ch) == 0, "channel created");
	pfd = (struct pollfd){ .fd = snapchan_fd(pr.ch), .events = POLLIN };
	pthread_create(&th, NULL, producer_main, &pr);
	while (last < N_PUBLISH) {
		struct snapshot *s;

		if (poll(&pfd, 1, 5000) != 1) {
			CHECK(0, "channel not woken within 5 s (last seq %llu)", (unsigned long long)last);
			break;
		}
		s = snapchan_take(pr.ch);
		if (!s)
			continue;
		CHECK(s->seq > last, "seq %llu after %llu", (unsigned long long)s->seq,
		      (unsigned long long)last);
		last = s->seq;
		seen++;
		snapshot_unref(s);
	}
	pthread_join(th, NULL);
	CHECK(last == N_PUBLISH, "last seq seen %llu", (unsigned long long)last);
	CHECK(seen >= 1 && seen <= N_PUBLISH, "took %llu snapshots", (unsigned long long)seen);
	printf("# threads: took %llu of %d publications\n", (unsigned long long)seen, N_PUBLISH);
	snapchan_free(pr.ch);
}

struct sharer {
	struct snapshot *s;
};

static void *sharer_main(void *arg)
{
	struct sharer *sh = arg;

	for (int i = 0; i < 100000; i++)
		snapshot_unref(snapshot_ref(sh->s));
	return NULL;
}

static void test_ref_race(void)
{
	struct sharer sh = { snapshot_new() };
	pthread_t th[4];

	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, sharer_main, &sh);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK(refs(sh.s) == 1, "refcount back to 1 after concurrent ref/unref (%u)", refs(sh.s));
	snapshot_unref(sh.s);
}

int main(void)
{
	test_lifetime();
	test_reg();
	test_channel();
	test_threads();
	test_ref_race();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("ok snapshot\n");
	return 0;
}
