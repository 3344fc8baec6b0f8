/* Password changes and user updates: checked on the loop, hashed in the
 * job pool, applied (and saved) back on the loop. Every outcome reaches
 * the caller through [done], never synchronously. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_priv.h"
#include "common/log.h"

enum pw_kind { PW_CHANGE, PW_SET };

struct pw_job {
	struct auth_job base;
	enum pw_kind kind;
	char user[AUTH_NAME_MAX + 1];
	char via[32], who[AUTH_NAME_MAX + 16];
	char old[AUTH_PASSWORD_MAX + 1];
	char fresh[AUTH_PASSWORD_MAX + 1];
	bool has_old, has_fresh;
	enum role role;                 /* PW_SET */
	bool exists, initial;           /* the account when submitted */
	char hash[AUTH_HASH_MAX];       /* its hash, or the dummy setting */
	char initial_pw[AUTH_INITIAL_MAX];
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	char new_hash[AUTH_HASH_MAX];
	int result;                     /* set on the loop: skip the work */
	const char *reason;
	auth_done_fn done;
	void *userdata;
};

static void pw_work(void *arg)
{
	struct pw_job *j = arg;

	if (j->result)
		goto wipe;
	if (j->has_old) {
		bool ok = pw_verify(j->old, j->hash);

		if (j->initial)
			ok = strlen(j->old) == strlen(j->initial_pw) &&
			     ct_equal(j->old, j->initial_pw, strlen(j->initial_pw));
		if (!ok || !j->exists) {
			j->result = -EPERM;
			j->reason = "the current password is wrong";
			goto wipe;
		}
	}
	if (j->kind == PW_CHANGE && j->exists && !j->initial && pw_verify(j->fresh, j->hash)) {
		j->result = -EINVAL;
		j->reason = "the new password must differ from the current one";
		goto wipe;
	}
	if (j->has_fresh && (pw_salt(j->setting, sizeof(j->setting)) < 0 ||
			     pw_hash(j->fresh, j->setting, j->new_hash, sizeof(j->new_hash)) < 0)) {
		j->result = -EIO;
		j->reason = "the password could not be hashed";
	}
wipe:
	explicit_bzero(j->old, sizeof(j->old));
	explicit_bzero(j->fresh, sizeof(j->fresh));
	explicit_bzero(j->initial_pw, sizeof(j->initial_pw));
}

static void set_secret(struct auth *a, struct account *acc, const char *hash, bool must_change)
{
	snprintf(acc->hash, sizeof(acc->hash), "%s", hash);
	acc->initial = false;
	acc->must_change = must_change;
	acc->password_changed = a->clock.realtime();
	lock_clear(&acc->lock);
}

static void apply_change(struct auth *a, struct pw_job *j)
{
	struct account *acc = acc_find(a, j->user);
	struct account before;

	if (!acc_same_secret(acc, j->initial, j->initial ? "" : j->hash)) {
		j->result = -EAGAIN;
		j->reason = "the account changed meanwhile: try again";
		return;
	}
	before = *acc;
	set_secret(a, acc, j->new_hash, false);
	if (acc_save(a) < 0) {
		*acc = before;
		j->result = -EIO;
		j->reason = "the accounts file cannot be written";
		return;
	}
	session_close_user(a, j->user);
	auth_emit(a, "gw.password_changed", "%s via %s by %s", j->user, j->via, j->who);
}

static void apply_set(struct auth *a, struct pw_job *j)
{
	struct account *acc = acc_find(a, j->user);
	struct account before = { 0 };
	bool added = !acc;

	if (added) {
		if (a->n_acc > AUTH_MAX_USERS) {
			j->result = -ENOSPC;
			j->reason = "admin and 8 users at most: remove one first";
			return;
		}
		acc = &a->acc[a->n_acc++];
		memset(acc, 0, sizeof(*acc));
		snprintf(acc->name, sizeof(acc->name), "%s", j->user);
	} else {
		before = *acc;
	}
	acc->role = j->role;
	if (j->has_fresh)
		set_secret(a, acc, j->new_hash, true);
	if (acc_save(a) < 0) {
		if (added)
			memset(&a->acc[--a->n_acc], 0, sizeof(*acc));
		else
			*acc = before;
		j->result = -EIO;
		j->reason = "the accounts file cannot be written";
		return;
	}
	if (added || j->has_fresh || before.role != j->role)
		session_close_user(a, j->user);
	auth_emit(a, "gw.user_changed", "%s %s %s%s via %s by %s", j->user,
		  added ? "added as" : "now", role_name(j->role),
		  j->has_fresh && !added ? ", password reset" : "", j->via, j->who);
}

static void pw_done(void *arg)
{
	struct pw_job *j = arg;
	struct auth *a = j->base.a;

	if (!a) {
		j->result = -ECANCELED;
		j->reason = "the daemon is stopping";
	} else {
		auth_job_detach(&j->base);
		if (j->result == -EPERM && j->has_old)
			login_failed(a, j->user, j->via, " (wrong current password on a change)");
		else if (!j->result)
			(j->kind == PW_CHANGE ? apply_change : apply_set)(a, j);
	}
	j->done(j->userdata, j->result, j->result ? j->reason : NULL);
	explicit_bzero(j, sizeof(*j));
	free(j);
}

static struct pw_job *pw_job_new(enum pw_kind kind, const char *user, const char *via,
				 const char *who, auth_done_fn done, void *userdata)
{
	struct pw_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->kind = kind;
	snprintf(j->user, sizeof(j->user), "%s", user && strlen(user) <= AUTH_NAME_MAX ? user : "");
	snprintf(j->via, sizeof(j->via), "%s", via && *via ? via : "unknown");
	snprintf(j->who, sizeof(j->who), "%s", who && *who ? who : "unknown");
	j->done = done;
	j->userdata = userdata;
	return j;
}

static void fail(struct pw_job *j, int result, const char *reason)
{
	if (!j->result) {
		j->result = result;
		j->reason = reason;
	}
}

static int pw_submit(struct auth *a, struct pw_job *j)
{
	int r = a->m->jobs ? jobs_submit(a->m->jobs, pw_work, pw_done, j) : -EAGAIN;

	if (r < 0) {
		explicit_bzero(j, sizeof(*j));
		free(j);
		return r;
	}
	auth_job_attach(a, &j->base);
	return 0;
}

static void capture(struct auth *a, struct pw_job *j, const struct account *acc)
{
	j->exists = acc != NULL;
	j->initial = acc && acc->initial;
	snprintf(j->hash, sizeof(j->hash), "%s", acc && !acc->initial ? acc->hash : a->dummy);
	if (j->initial)
		snprintf(j->initial_pw, sizeof(j->initial_pw), "%s", a->initial);
}

int auth_change_password(struct auth *a, const char *user, const char *old,
			 const char *new_password, const char *via, const char *who,
			 auth_done_fn done, void *userdata)
{
	struct pw_job *j = pw_job_new(PW_CHANGE, user, via, who, done, userdata);
	struct account *acc = user ? acc_find(a, user) : NULL;
	struct lock_state *lock = user ? lock_of(a, user, false) : NULL;
	const char *why = auth_password_policy(new_password);

	if (!j)
		return -ENOMEM;
	capture(a, j, acc);
	j->has_old = old != NULL;
	j->has_fresh = true;
	if (why)
		fail(j, -EINVAL, why);
	else if (old && strcmp(old, new_password) == 0)
		fail(j, -EINVAL, "the new password must differ from the current one");
	/* With an old password anyone could be asking: an unknown or locked
	 * name answers as a wrong password does. Without one (upsgatectl,
	 * an admin) the truth helps. */
	if (old && strnlen(old, AUTH_PASSWORD_MAX + 1) > AUTH_PASSWORD_MAX)
		fail(j, -EPERM, "the current password is wrong");
	else if (old && lock && lock_active(lock, a->clock.realtime(),
				       settings_int(a->m->settings, SET_AUTH_LOCKOUT_MINUTES)))
		fail(j, -EPERM, "the account is locked: try again later");
	else if (!old && !acc)
		fail(j, -ENOENT, "no such account");
	if (j->result == 0) {
		snprintf(j->old, sizeof(j->old), "%s", old ? old : "");
		snprintf(j->fresh, sizeof(j->fresh), "%s", new_password);
	}
	return pw_submit(a, j);
}

int auth_set_user(struct auth *a, const char *user, enum role role, const char *password,
		  const char *via, const char *who, auth_done_fn done, void *userdata)
{
	struct pw_job *j = pw_job_new(PW_SET, user, via, who, done, userdata);
	struct account *acc;
	const char *why = acc_name_check(user);

	if (!j)
		return -ENOMEM;
	acc = why ? NULL : acc_find(a, user);
	j->role = role;
	j->has_fresh = password != NULL;
	if (why)
		fail(j, -EINVAL, why);
	else if (strcmp(user, "admin") == 0)
		fail(j, -EPERM, "admin always has every right; change its password instead");
	else if (role != ROLE_READ_ONLY && role != ROLE_READ_WRITE)
		fail(j, -EINVAL, "the access must be read-only or read-write");
	else if (password && (why = auth_password_policy(password)))
		fail(j, -EINVAL, why);
	else if (!acc && !password)
		fail(j, -EINVAL, "a new user needs a password");
	else if (!acc && a->n_acc > AUTH_MAX_USERS)
		fail(j, -ENOSPC, "admin and 8 users at most: remove one first");
	if (j->result == 0 && password)
		snprintf(j->fresh, sizeof(j->fresh), "%s", password);
	capture(a, j, acc);
	return pw_submit(a, j);
}
