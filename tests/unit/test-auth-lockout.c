/* The lockout state machine on a clock moved by hand, and the bounded
 * table of unknown names. */
#include "auth-test.h"

static void check_state_machine(void)
{
	struct lock_state l = { 0 };
	int64_t t = 1000000;

	CHECK(!lock_active(&l, t, 15), "fresh: not locked");
	CHECK(!lock_fail(&l, t, 3, 15) && l.failures == 1, "1st failure counted");
	CHECK(!lock_fail(&l, t + 1, 3, 15) && l.failures == 2, "2nd failure counted");
	CHECK(lock_fail(&l, t + 2, 3, 15), "3rd failure locks");
	CHECK(l.locked_until == t + 2 + 15 * 60 && l.failures == 0, "locked for 15 min");
	CHECK(lock_active(&l, t + 3, 15), "locked a second later");
	CHECK(!lock_fail(&l, t + 4, 3, 15) && l.locked_until == t + 2 + 900,
	      "a failure while locked neither counts nor extends");
	CHECK(lock_active(&l, t + 2 + 899, 15), "locked one second before the end");
	CHECK(!lock_active(&l, t + 2 + 900, 15) && l.locked_until == 0 && l.failures == 0,
	      "unlocked at the end, counters afresh");
	CHECK(!lock_fail(&l, t + 1000, 3, 15) && l.failures == 1, "counting starts again");
	lock_clear(&l);
	CHECK(l.failures == 0 && l.locked_until == 0, "clear");

	/* The clock set back an hour: the lock cannot last longer than set. */
	CHECK(lock_fail(&l, t, 1, 15), "one attempt allowed: locks at once");
	CHECK(lock_active(&l, t - 3600, 15) && l.locked_until == t - 3600 + 900,
	      "clock set back: the lock is cut to 15 min from now");
	/* A shorter lockout set by a reload shortens a running lock too. */
	CHECK(lock_active(&l, t - 3600, 5) && l.locked_until == t - 3600 + 300,
	      "lockout_minutes lowered: the lock follows");
}

static void check_probe_table(void)
{
	struct harness h;
	struct auth *a = NULL;
	struct probe *target;
	char name[32];

	harness_init(&h, NULL);
	CHECK(harness_start(&h, &a) == 0, "auth_start");
	CHECK(probe_find(a, "ghost", false) == NULL, "unknown name, not created");
	target = probe_find(a, "ghost", true);
	CHECK(target && strcmp(target->name, "ghost") == 0, "created");
	lock_fail(&target->lock, test_clock.real, 3, 15);
	lock_fail(&target->lock, test_clock.real, 3, 15);
	CHECK(probe_find(a, "ghost", false) == target, "found again");

	/* A flood of fresh names with one failure each never washes out a
	 * name with more failures, and the table never grows: once it is
	 * full, a name without an entry is locked (fail closed). */
	for (int i = 0; i < 10 * AUTH_MAX_PROBES; i++) {
		struct lock_state *l;

		snprintf(name, sizeof(name), "flood%d", i);
		advance(1);
		l = lock_of(a, name, true);
		CHECK(l != NULL, "counters for %s", name);
		if (l && !lock_active(l, test_clock.real, 15))
			lock_fail(l, test_clock.real, 3, 15);
		else
			CHECK(i >= AUTH_MAX_PROBES - 1, "%s locked only once the table is full", name);
	}
	target = probe_find(a, "ghost", false);
	CHECK(target && target->lock.failures == 2, "ghost kept its 2 failures through the flood");
	CHECK(lock_of(a, "bad name", true) == NULL, "an impossible name has no counters");
	CHECK(lock_of(a, "admin", true) == &a->acc[0].lock, "admin's counters are its account's");
	probe_clear_all(a);
	CHECK(probe_find(a, "ghost", false) == NULL, "cleared");
	auth_stop(a);
	harness_fini(&h);
}

/* Logins of a name that is not an account (a RADIUS user's) are counted
 * in the table: an attacker with fresh names must not be able to free the
 * name's entry and reset its count, whatever the table holds. */
static void check_flush(void)
{
	struct harness h;
	struct auth *a = NULL;
	struct lock_state *l;
	char name[32];
	int locks = 0;

	harness_init(&h, NULL);
	CHECK(harness_start(&h, &a) == 0, "auth_start");
	/* All but one entry locked. */
	for (int i = 0; i < AUTH_MAX_PROBES - 1; i++) {
		snprintf(name, sizeof(name), "locked%d", i);
		for (int k = 0; k < 3; k++)
			login_failed(a, name, "192.0.2.9", "");
	}
	/* bob guesses twice, the attacker spends one fresh name, bob again... */
	for (int round = 0; round < 5; round++) {
		for (int k = 0; k < 2; k++) {
			l = lock_of(a, "bob", false);
			if (l && lock_active(l, test_clock.real, 15))
				continue;
			locks += login_failed(a, "bob", "192.0.2.9", "");
		}
		snprintf(name, sizeof(name), "fresh%d", round);
		login_failed(a, name, "192.0.2.9", "");
	}
	l = lock_of(a, "bob", false);
	CHECK(locks == 1 && l && lock_active(l, test_clock.real, 15),
	      "bob locked after 3 failures despite fresh names in between (%d locks)", locks);
	l = lock_of(a, "newcomer", false);
	CHECK(l && lock_active(l, test_clock.real, 15), "a full table locks names it cannot count");
	l = lock_of(a, "locked0", false);
	CHECK(l && lock_active(l, test_clock.real, 15), "a locked name stays locked");

	/* Once the locks and counts are older than a lockout, room again. */
	advance(15 * 60 + 1);
	l = lock_of(a, "newcomer", true);
	CHECK(l && !lock_active(l, test_clock.real, 15) && l != &a->overflow,
	      "after a lockout, new names are counted again");
	auth_stop(a);
	harness_fini(&h);
}

int main(void)
{
	log_setup("test-auth-lockout", LOG_WARNING);
	check_state_machine();
	check_probe_table();
	check_flush();
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
