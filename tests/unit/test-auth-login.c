/* Logins through a real sd-event loop and the real job pool: the first
 * login on the initial password, password changes and their refusals,
 * lockout of accounts and of unknown names (same replies), expiry,
 * user management, attempts sent in parallel, and a stop with a job in
 * flight. */
#include "auth-test.h"

static void check_first_login(struct harness *h, struct auth *a)
{
	struct login_result r = login(h, a, "admin", a->initial);
	struct done_wait w;

	CHECK(r.status == LOGIN_OK && r.must_change && r.role == ROLE_ADMIN && !r.radius,
	      "initial password: logged in, must change (status %d)", r.status);
	CHECK(strlen(r.token) == AUTH_TOKEN_LEN && strlen(r.csrf) == AUTH_TOKEN_LEN, "tokens");
	CHECK(auth_session(a, r.token) && auth_session(a, r.token)->must_change,
	      "the session is limited to a password change");
	CHECK(find_event(h, "gw.login", "admin from 192.0.2.7 (password change required)"), "gw.login");

	w = change_password(h, a, "admin", a->initial, "short");
	CHECK(w.result == -EINVAL && strcmp(w.reason, "at least 12 characters") == 0,
	      "policy refusal with its reason: %s", w.reason);
	w = change_password(h, a, "admin", "wrong", "Admin12!pass");
	CHECK(w.result == -EPERM, "wrong current password: -EPERM (%d)", w.result);
	CHECK(a->acc[0].lock.failures == 1, "and it counts as a failed login");
	w = change_password(h, a, "admin", a->initial, "Admin12!pass");
	CHECK(w.result == 0, "password changed (%d %s)", w.result, w.reason);
	CHECK(auth_session(a, r.token) == NULL, "the change closed the session");
	CHECK(find_event(h, "gw.password_changed", "admin via web by admin"), "gw.password_changed");
	CHECK(a->acc[0].lock.failures == 0 && !a->acc[0].initial, "counters cleared, initial gone");

	r = login(h, a, "admin", a->initial);
	CHECK(r.status == LOGIN_BAD, "the initial password no longer works");
	r = login(h, a, "admin", "Admin12!pass");
	CHECK(r.status == LOGIN_OK && !r.must_change && r.days_left == 90,
	      "new password: full session, 90 days left (%d, %d)", r.status, r.days_left);
	w = change_password(h, a, "admin", "Admin12!pass", "Admin12!pass");
	CHECK(w.result == -EINVAL, "the same password again is refused");
	w = change_password(h, a, "admin", NULL, "Admin12!pass");
	CHECK(w.result == -EINVAL && strstr(w.reason, "differ"),
	      "an admin reset to the current password is refused too: %s", w.reason);
}

static void check_lockout(struct harness *h, struct auth *a)
{
	struct login_result r[4], g[4];

	for (int i = 0; i < 3; i++)
		r[i] = login(h, a, "admin", "Wrong12!pass");
	r[3] = login(h, a, "admin", "Admin12!pass");
	CHECK(r[0].status == LOGIN_BAD && r[1].status == LOGIN_BAD, "two failures: bad password");
	CHECK(r[2].status == LOGIN_LOCKED && r[2].locked_until == test_clock.real + 900,
	      "the 3rd locks for 15 min");
	CHECK(r[3].status == LOGIN_LOCKED, "the right password is refused while locked");
	CHECK(find_event(h, "gw.account_locked", "admin from 192.0.2.7"), "gw.account_locked");
	CHECK(find_event(h, "gw.login_failed", "admin from 192.0.2.7 (locked)"), "refusal logged");
	advance(899);
	CHECK(login(h, a, "admin", "Admin12!pass").status == LOGIN_LOCKED, "still locked at 14:59");
	advance(1);
	CHECK(login(h, a, "admin", "Admin12!pass").status == LOGIN_OK, "open again at 15:00");

	/* An unknown name answers exactly as an account does. */
	for (int i = 0; i < 4; i++)
		g[i] = login(h, a, "ghost", "Wrong12!pass");
	for (int i = 0; i < 4; i++)
		CHECK(g[i].status == (i < 2 ? LOGIN_BAD : LOGIN_LOCKED),
		      "ghost attempt %d: %d, as an account", i, g[i].status);
	CHECK(find_event(h, "gw.account_locked", "ghost"), "ghost locked too");
	CHECK(auth_unlock(a, "ghost", "cli", "root") == 0, "an unknown name can be unlocked");
	CHECK(login(h, a, "ghost", "Wrong12!pass").status == LOGIN_BAD, "counting again");
	for (int i = 0; i < 5; i++)
		CHECK(login(h, a, "bad name", "x").status == LOGIN_BAD, "an impossible name: bad, never locked");
	CHECK(find_event(h, "gw.login_failed", "(invalid name)"), "logged without the name");
}

static void check_parallel_attempts(struct harness *h, struct auth *a)
{
	struct login_wait w[6] = { 0 };
	size_t locked_events = count_events(h, "gw.account_locked");
	int bad = 0, locked = 0;

	for (int i = 0; i < 6; i++)
		CHECK(auth_login(a, "admin", "Wrong12!pass", "198.51.100.1", login_cb, &w[i]) == 0,
		      "submitted %d", i);
	for (int i = 0; i < 6; i++) {
		run_until(h, &w[i].done);
		bad += w[i].res.status == LOGIN_BAD;
		locked += w[i].res.status == LOGIN_LOCKED;
	}
	CHECK(bad == 2 && locked == 4, "6 at once: 2 bad, then locked (%d, %d)", bad, locked);
	CHECK(count_events(h, "gw.account_locked") == locked_events + 1, "locked once");
	CHECK(auth_unlock(a, "admin", "cli", "root") == 0, "unlock admin");
}

static void check_expiry(struct harness *h, struct auth *a)
{
	struct login_result r;

	advance(89 * 86400);
	r = login(h, a, "admin", "Admin12!pass");
	CHECK(r.status == LOGIN_OK && r.days_left == 1, "day 89: 1 day left (%d)", r.days_left);
	advance(86400);
	r = login(h, a, "admin", "Admin12!pass");
	CHECK(r.status == LOGIN_EXPIRED && r.must_change && r.days_left == 0 &&
	      auth_session(a, r.token) && auth_session(a, r.token)->must_change,
	      "day 90: expired, a session limited to the change (%d)", r.status);
	CHECK(find_event(h, "gw.login", "password expired"), "logged as expired");
	harness_reload(h, "auth = { password_days = 0; };");
	r = login(h, a, "admin", "Admin12!pass");
	CHECK(r.status == LOGIN_OK && r.days_left == -1 && !r.must_change, "password_days = 0: never expires");
	harness_reload(h, NULL);
	CHECK(change_password(h, a, "admin", "Admin12!pass", "Admin34!pass").result == 0, "renewed");
	r = login(h, a, "admin", "Admin34!pass");
	CHECK(r.status == LOGIN_OK && r.days_left == 90, "90 days again");
}

static void check_users(struct harness *h, struct auth *a)
{
	struct login_result r;
	struct done_wait w;
	char name[16];

	CHECK(set_user(h, a, "admin", ROLE_READ_ONLY, NULL).result == -EPERM, "admin is not a user");
	CHECK(set_user(h, a, "gina", ROLE_ADMIN, "Gina12!passw").result == -EINVAL, "no second admin");
	w = set_user(h, a, "gina", ROLE_READ_ONLY, "gina");
	CHECK(w.result == -EINVAL && strcmp(w.reason, "at least 12 characters") == 0, "policy: %s", w.reason);
	CHECK(set_user(h, a, "gina", ROLE_READ_ONLY, NULL).result == -EINVAL, "a new user needs a password");
	CHECK(set_user(h, a, "-gina", ROLE_READ_ONLY, "Gina12!passw").result == -EINVAL, "bad name");
	CHECK(set_user(h, a, "gina", ROLE_READ_ONLY, "Gina12!passw").result == 0, "gina added");
	CHECK(find_event(h, "gw.user_changed", "gina added as read-only via web by admin"), "logged");
	r = login(h, a, "gina", "Gina12!passw");
	CHECK(r.status == LOGIN_OK && r.must_change && r.role == ROLE_READ_ONLY,
	      "gina's first login: must change");
	CHECK(change_password(h, a, "gina", "Gina12!passw", "Gina34!passw").result == 0, "gina changes");
	r = login(h, a, "gina", "Gina34!passw");
	CHECK(r.status == LOGIN_OK && !r.must_change, "gina logs in");
	CHECK(set_user(h, a, "gina", ROLE_READ_WRITE, NULL).result == 0, "gina now read-write");
	CHECK(auth_session(a, r.token) == NULL, "a role change closes her session");
	r = login(h, a, "gina", "Gina34!passw");
	CHECK(r.status == LOGIN_OK && r.role == ROLE_READ_WRITE, "with the new role");
	CHECK(change_password(h, a, "nobody", "Gina34!passw", "Gina56!passw").result == -EPERM,
	      "a change for an unknown name with an old password: -EPERM, as a wrong password");
	CHECK(change_password(h, a, "nobody", NULL, "Gina56!passw").result == -ENOENT,
	      "without one (admin path): -ENOENT");
	for (int i = 0; i < AUTH_MAX_USERS - 1; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		CHECK(set_user(h, a, name, ROLE_READ_ONLY, "User12!passw").result == 0, "%s", name);
	}
	w = set_user(h, a, "onetoomany", ROLE_READ_ONLY, "User12!passw");
	CHECK(w.result == -ENOSPC, "a 9th user: -ENOSPC (%s)", w.reason);
}

static void check_stop_in_flight(void)
{
	struct harness h;
	struct auth *a = NULL;
	struct login_wait w = { 0 };

	harness_init(&h, NULL);
	CHECK(harness_start(&h, &a) == 0, "start");
	CHECK(auth_login(a, "admin", "Wrong12!pass", "x", login_cb, &w) == 0, "submitted");
	auth_stop(a);
	manager_drain_jobs(&h.m);
	CHECK(w.done && w.res.status == LOGIN_UNAVAILABLE, "a login in flight at stop: unavailable");
	CHECK(harness_start(&h, &a) == 0, "start again");
	CHECK(auth_login(a, "admin", "x", "x", login_cb, &w) == -EAGAIN, "no pool: -EAGAIN");
	auth_stop(a);
	harness_fini(&h);
}

/* What the accounts file says about admin's failures when the login's
 * callback runs, that is when the reply is made. */
struct failure_probe {
	struct auth *a;
	bool done;
	unsigned on_disk;
};

static void failure_cb(void *userdata, const struct login_result *res)
{
	struct failure_probe *p = userdata;
	struct account acc[AUTH_MAX_USERS + 1];
	size_t n = 0;

	p->on_disk = acctfile_load(p->a->path, acc, &n) == 0 ? acc[0].lock.failures : 99;
	p->done = true;
}

/* A failed login of an account and one of an unknown name must take the
 * same time: the count reaches the file (an fsync) after the reply. */
static void check_failure_save_after_reply(void)
{
	struct harness h;
	struct auth *a = NULL;
	struct failure_probe p = { 0 };
	struct account acc[AUTH_MAX_USERS + 1];
	size_t n = 0;

	harness_init(&h, NULL);
	CHECK(harness_start(&h, &a) == 0, "start");
	p.a = a;
	CHECK(auth_login(a, "admin", "Wrong12!pass", "x", failure_cb, &p) == 0, "submitted");
	run_until(&h, &p.done);
	CHECK(a->acc[0].lock.failures == 1, "the failure is counted at once");
	CHECK(p.on_disk == 0, "the file is written after the reply (%u on disk)", p.on_disk);
	for (int i = 0; i < 10; i++)
		sd_event_run(h.m.event, 0);
	CHECK(acctfile_load(a->path, acc, &n) == 0 && acc[0].lock.failures == 1,
	      "then the count is saved");
	/* A count still waiting is saved at stop. */
	p.done = false;
	CHECK(auth_login(a, "admin", "Wrong12!pass", "x", failure_cb, &p) == 0, "submitted");
	run_until(&h, &p.done);
	auth_stop(a);
	CHECK(harness_start(&h, &a) == 0 && a->acc[0].lock.failures == 2, "saved at stop");
	auth_stop(a);
	harness_fini(&h);
}

int main(void)
{
	struct harness h;
	struct auth *a = NULL;

	log_setup("test-auth-login", LOG_CRIT);
	harness_init(&h, NULL);
	CHECK(harness_start(&h, &a) == 0, "auth_start");
	check_first_login(&h, a);
	check_lockout(&h, a);
	check_parallel_attempts(&h, a);
	check_expiry(&h, a);
	check_users(&h, a);
	auth_stop(a);
	harness_fini(&h);
	check_stop_in_flight();
	check_failure_save_after_reply();
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
