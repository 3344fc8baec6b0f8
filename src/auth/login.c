/* Logins (§11.6, §15.4): RADIUS first when enabled (never for admin),
 * then the local accounts; lockout; the session. The password check runs
 * in the job pool; the decision and every state change happen in the
 * done callback, on the loop.
 *
 * Unknown names take the same path as accounts (a dummy hash is
 * verified, failures are counted per name) so that neither the reply
 * nor its timing tells whether an account exists. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_priv.h"
#include "common/log.h"

struct login_job {
	struct auth_job base;
	char user[AUTH_NAME_MAX + 1];
	char peer[48];
	char password[AUTH_PASSWORD_MAX + 1];
	bool name_ok;                   /* a name an account could have */
	bool too_long;                  /* the password was cut: it cannot match */
	bool locked;                    /* decided before any work */
	bool initial;                   /* admin on its initial password */
	char hash[AUTH_HASH_MAX];       /* the account's, or the dummy setting */
	char initial_pw[AUTH_INITIAL_MAX];
	bool ask_radius;
	struct radius_config radius;
	enum radius_answer answer;      /* results of the work */
	bool match;
	auth_login_fn done;
	void *userdata;
};

void auth_job_attach(struct auth *a, struct auth_job *j)
{
	j->a = a;
	j->prev = NULL;
	j->next = a->jobs;
	if (a->jobs)
		a->jobs->prev = j;
	a->jobs = j;
}

void auth_job_detach(struct auth_job *j)
{
	if (!j->a)
		return;
	if (j->prev)
		j->prev->next = j->next;
	else
		j->a->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
	j->a = NULL;
	j->prev = j->next = NULL;
}

struct lock_state *lock_of(struct auth *a, const char *name, bool create)
{
	struct account *acc;
	struct probe *p;

	if (acc_name_check(name))
		return NULL;
	acc = acc_find(a, name);
	if (acc)
		return &acc->lock;
	p = probe_find(a, name, create);
	return p ? &p->lock : probe_overflow(a);
}

bool login_failed(struct auth *a, const char *name, const char *from, const char *why)
{
	const struct settings *s = a->m->settings;
	struct lock_state *lock = lock_of(a, name, true);
	bool valid = !acc_name_check(name);
	bool locks;

	auth_emit(a, "gw.login_failed", "%s from %s%s", valid ? name : "(invalid name)", from, why);
	if (!lock)
		return false;
	locks = lock_fail(lock, a->clock.realtime(), settings_int(s, SET_AUTH_LOCKOUT_ATTEMPTS),
			  settings_int(s, SET_AUTH_LOCKOUT_MINUTES));
	if (acc_find(a, name))
		acc_save_soon(a);       /* a restart must not reset the count */
	if (locks) {
		log_warning("%s locked for %lld min after %lld failed logins", name,
			    settings_int(s, SET_AUTH_LOCKOUT_MINUTES),
			    settings_int(s, SET_AUTH_LOCKOUT_ATTEMPTS));
		auth_emit(a, "gw.account_locked", "%s from %s", name, from);
	}
	return locks;
}

/* On a pool thread: only the job's own copies are used. */
static void login_work(void *arg)
{
	struct login_job *j = arg;

	if (j->locked)
		return;
	if (j->ask_radius && !j->too_long)
		j->answer = radius_check(&j->radius, j->user, j->password);
	if (j->answer != RADIUS_ACCEPT) {
		j->match = pw_verify(j->password, j->hash);
		if (j->initial)         /* the same hashing time as any account */
			j->match = strlen(j->password) == strlen(j->initial_pw) &&
				   ct_equal(j->password, j->initial_pw, strlen(j->initial_pw));
		j->match = j->match && !j->too_long;
	}
	explicit_bzero(j->password, sizeof(j->password));
	explicit_bzero(j->initial_pw, sizeof(j->initial_pw));
	radius_config_wipe(&j->radius);
}

static void radius_success(struct auth *a, struct login_job *j, struct login_result *res)
{
	enum role role = radius_role(a->m->settings, j->user);
	struct lock_state *lock = lock_of(a, j->user, false);

	if (role == ROLE_NONE) {
		res->status = LOGIN_BAD;
		auth_emit(a, "gw.login_failed", "%s from %s (RADIUS user disabled here)", j->user,
			  j->peer);
		return;
	}
	if (lock && (lock->failures || lock->locked_until)) {
		lock_clear(lock);
		if (acc_find(a, j->user))
			acc_save(a);
	}
	if (session_open(a, j->user, role, false, true, j->peer, res->token, res->csrf) < 0) {
		res->status = LOGIN_UNAVAILABLE;
		return;
	}
	res->status = LOGIN_OK;
	res->role = role;
	res->radius = true;
	auth_emit(a, "gw.login", "%s from %s (RADIUS, %s)", j->user, j->peer, role_name(role));
}

static void local_success(struct auth *a, struct login_job *j, struct account *acc,
			  struct login_result *res)
{
	bool counted = acc->lock.failures || acc->lock.locked_until;

	lock_clear(&acc->lock);
	if (counted)
		acc_save(a);
	res->days_left = acc_days_left(a, acc);
	res->must_change = acc->must_change || acc->initial || res->days_left == 0;
	res->status = res->days_left == 0 && !acc->must_change && !acc->initial ? LOGIN_EXPIRED
										  : LOGIN_OK;
	res->role = acc->role;
	if (session_open(a, acc->name, acc->role, res->must_change, false, j->peer, res->token,
			 res->csrf) < 0) {
		res->status = LOGIN_UNAVAILABLE;
		return;
	}
	auth_emit(a, "gw.login", "%s from %s%s", acc->name, j->peer,
		  res->status == LOGIN_EXPIRED ? " (password expired: change required)" :
		  res->must_change ? " (password change required)" : "");
}

static void decide(struct auth *a, struct login_job *j, struct login_result *res)
{
	const struct settings *s = a->m->settings;
	struct lock_state *lock = lock_of(a, j->user, false);
	struct account *acc = acc_find(a, j->user);

	if (j->answer == RADIUS_DOWN)
		auth_emit(a, "gw.radius_failed", "login of %s from %s: local accounts used",
			  j->user, j->peer);
	/* Locked before, or meanwhile by attempts sent in parallel: the
	 * answer says nothing about the password. */
	if (j->locked || (lock && lock_active(lock, a->clock.realtime(),
					      settings_int(s, SET_AUTH_LOCKOUT_MINUTES)))) {
		res->status = LOGIN_LOCKED;
		res->locked_until = lock ? lock->locked_until : 0;
		auth_emit(a, "gw.login_failed", "%s from %s (locked)", j->name_ok ? j->user :
			  "(invalid name)", j->peer);
		return;
	}
	if (j->answer == RADIUS_ACCEPT) {
		radius_success(a, j, res);
		return;
	}
	if (j->match && acc && acc_same_secret(acc, j->initial, j->initial ? "" : j->hash)) {
		local_success(a, j, acc, res);
		return;
	}
	if (login_failed(a, j->user, j->peer, "")) {
		res->status = LOGIN_LOCKED;
		res->locked_until = lock_of(a, j->user, false)->locked_until;
	} else {
		res->status = LOGIN_BAD;
	}
}

static void login_done(void *arg)
{
	struct login_job *j = arg;
	struct auth *a = j->base.a;
	struct login_result res = { .status = LOGIN_UNAVAILABLE, .days_left = -1 };

	if (a) {
		auth_job_detach(&j->base);
		decide(a, j, &res);
	}
	j->done(j->userdata, &res);
	explicit_bzero(&res, sizeof(res));
	explicit_bzero(j, sizeof(*j));
	free(j);
}

/* What the work needs, copied: the pool never reads the table. */
static void login_prepare(struct auth *a, struct login_job *j)
{
	const struct settings *s = a->m->settings;
	struct lock_state *lock = lock_of(a, j->user, false);
	struct account *acc = j->name_ok ? acc_find(a, j->user) : NULL;

	snprintf(j->hash, sizeof(j->hash), "%s", a->dummy);
	j->locked = lock && lock_active(lock, a->clock.realtime(),
					settings_int(s, SET_AUTH_LOCKOUT_MINUTES));
	if (j->locked)
		return;
	if (acc && acc->initial) {
		j->initial = true;
		snprintf(j->initial_pw, sizeof(j->initial_pw), "%s", a->initial);
	} else if (acc) {
		snprintf(j->hash, sizeof(j->hash), "%s", acc->hash);
	}
	/* admin is always checked here (§15.4: "always active"): a RADIUS
	 * server, or whoever has its secret, cannot stand in for it. */
	if (j->name_ok && strcmp(j->user, "admin") != 0 && radius_config_from(s, &j->radius)) {
		j->ask_radius = j->radius.n_server > 0;
		if (!j->ask_radius)
			j->answer = RADIUS_DOWN;        /* enabled without a usable server */
	}
}

int auth_login(struct auth *a, const char *user, const char *password, const char *peer,
	       auth_login_fn done, void *userdata)
{
	struct login_job *j;
	int r;

	if (!a->m->jobs)
		return -EAGAIN;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->name_ok = user && !acc_name_check(user);
	snprintf(j->user, sizeof(j->user), "%s", j->name_ok ? user : "");
	snprintf(j->peer, sizeof(j->peer), "%s", peer && *peer ? peer : "unknown");
	/* A longer password cannot be right, but it is checked (cut) all the
	 * same so that the reply and its time are those of a wrong one. */
	j->too_long = password && strnlen(password, AUTH_PASSWORD_MAX + 1) > AUTH_PASSWORD_MAX;
	snprintf(j->password, sizeof(j->password), "%s", password ? password : "");
	j->done = done;
	j->userdata = userdata;
	login_prepare(a, j);
	r = jobs_submit(a->m->jobs, login_work, login_done, j);
	if (r < 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return r;
	}
	auth_job_attach(a, &j->base);
	return 0;
}
