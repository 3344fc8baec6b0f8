/* The account table: admin plus up to AUTH_MAX_USERS users (§15.4),
 * kept in <state_dir>/accounts; start and stop of the module, the
 * admin's operations that need no hashing, backup export and import. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "auth/auth_priv.h"
#include "common/log.h"

static const char *const role_names[] = {
	[ROLE_NONE] = "disabled", [ROLE_READ_ONLY] = "read-only",
	[ROLE_READ_WRITE] = "read-write", [ROLE_ADMIN] = "admin",
};

const char *role_name(enum role r)
{
	return (unsigned)r <= ROLE_ADMIN ? role_names[r] : "unknown";
}

int role_from_name(const char *name)
{
	for (int r = ROLE_NONE; name && r <= ROLE_ADMIN; r++)
		if (strcmp(name, role_names[r]) == 0)
			return r;
	return -EINVAL;
}

/* 1 to 31 of [A-Za-z0-9._-], starting with a letter or digit so that a
 * name never reads as an option on a command line. */
const char *acc_name_check(const char *name)
{
	size_t n = name ? strnlen(name, AUTH_NAME_MAX + 1) : 0;

	if (n == 0 || n > AUTH_NAME_MAX)
		return "a user name has 1 to 31 characters";
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return "a user name has letters, digits, '.', '_' and '-' only, "
			       "and starts with a letter or digit";
	}
	return NULL;
}

struct account *acc_find(struct auth *a, const char *name)
{
	for (size_t i = 0; name && i < a->n_acc; i++)
		if (strcmp(a->acc[i].name, name) == 0)
			return &a->acc[i];
	return NULL;
}

bool acc_same_secret(const struct account *acc, bool initial, const char *hash)
{
	return acc && acc->initial == initial && strcmp(acc->hash, hash) == 0;
}

int acc_days_left(const struct auth *a, const struct account *acc)
{
	long long days = settings_int(a->m->settings, SET_AUTH_PASSWORD_DAYS);
	int64_t left;

	if (days == 0)
		return -1;
	if (acc->password_changed == 0)
		return (int)days;
	left = acc->password_changed + days * 86400 - a->clock.realtime();
	if (left <= 0)
		return 0;
	left = (left + 86399) / 86400;
	return (int)(left < days ? left : days);     /* a clock set back gives no extra days */
}

void acc_info(const struct auth *a, const struct account *acc, struct account_info *out)
{
	bool locked = acc->lock.locked_until > a->clock.realtime();

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", acc->name);
	out->role = acc->role;
	out->must_change = acc->must_change || acc->initial;
	out->password_changed = acc->password_changed;
	out->days_left = acc_days_left(a, acc);
	out->failures = locked || !acc->lock.locked_until ? acc->lock.failures : 0;
	out->locked_until = locked ? acc->lock.locked_until : 0;
}

int acc_save(struct auth *a)
{
	int r = acctfile_save(a->path, a->acc, a->n_acc);

	if (r < 0)
		log_error("cannot save %s: %s", a->path, strerror(-r));
	return r;
}

static int on_save_later(sd_event_source *src, void *userdata)
{
	acc_save(userdata);
	return 0;
}

void acc_save_soon(struct auth *a)
{
	if (!a->save_later &&
	    (sd_event_add_defer(a->m->event, &a->save_later, on_save_later, a) < 0 ||
	     sd_event_source_set_priority(a->save_later, SD_EVENT_PRIORITY_IDLE) < 0)) {
		a->save_later = sd_event_source_unref(a->save_later);
		acc_save(a);
		return;
	}
	sd_event_source_set_enabled(a->save_later, SD_EVENT_ONESHOT);
}

void auth_emit(struct auth *a, const char *code, const char *fmt, ...)
{
	char detail[sizeof(((struct event *)0)->detail)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (a->m->bus)
		evbus_emit(a->m->bus, code, 0, 0, "%s", detail);
}

static const char *nonull(const char *s)
{
	return s && *s ? s : "unknown";
}

static void initial_admin(struct auth *a)
{
	memset(a->acc, 0, sizeof(a->acc));
	snprintf(a->acc[0].name, sizeof(a->acc[0].name), "admin");
	a->acc[0].role = ROLE_ADMIN;
	a->acc[0].initial = true;
	a->acc[0].must_change = true;
	a->n_acc = 1;
}

/* --- Start and stop -------------------------------------------------- */

static int64_t realtime_s(void)
{
	return (int64_t)time(NULL);
}

static uint64_t monotonic_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void auth_reload(void *userdata, const struct settings *fresh)
{
	struct auth *a = userdata;
	struct radius_config cfg;

	session_expire(a);
	if (radius_config_from(fresh, &cfg) && cfg.n_server == 0)
		log_error("auth.radius.enabled but no usable server: logins use local accounts");
	radius_config_wipe(&cfg);
}

static int open_table(struct auth *a)
{
	int r = acctfile_load(a->path, a->acc, &a->n_acc);

	if (r == -ENOENT) {
		initial_admin(a);
		r = acc_save(a);
		if (r == 0)
			log_notice("accounts: created %s with admin only", a->path);
	} else if (r < 0) {
		log_error("accounts: %s is unreadable: not starting rather than losing the accounts "
			  "and their lockouts. Repair it, or remove it to return to admin alone with "
			  "the initial password", a->path);
	}
	if (r == 0 && a->acc[0].initial)
		log_notice("admin has its initial password (%s): it only allows setting a new one",
			   a->initial_source);
	return r;
}

int auth_start(struct auth **out, struct manager *m)
{
	const char *dir = settings_str(m->settings, SET_STATE_DIR);
	struct auth *a = calloc(1, sizeof(*a));
	int r;

	if (!a)
		return -ENOMEM;
	a->m = m;
	a->clock.realtime = realtime_s;
	a->clock.monotonic = monotonic_usec;
	if (snprintf(a->state_dir, sizeof(a->state_dir), "%s", dir) >= (int)sizeof(a->state_dir) ||
	    snprintf(a->path, sizeof(a->path), "%s/accounts", dir) >= (int)sizeof(a->path)) {
		r = -ENAMETOOLONG;
		log_error("state_dir %s: too long", dir);
		goto fail;
	}
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		r = -errno;
		log_error("cannot create %s: %s", dir, strerror(errno));
		goto fail;
	}
	r = pw_salt(a->dummy, sizeof(a->dummy));
	if (r == 0)
		r = pw_initial_load(a);
	if (r == 0)
		r = open_table(a);
	if (r == 0)
		r = manager_add_listener(m, &(struct manager_listener) {
			.reload = auth_reload, .userdata = a });
	if (r < 0)
		goto fail;
	log_info("accounts: admin and %zu user(s)", a->n_acc - 1);
	*out = a;
	return 0;
fail:
	explicit_bzero(a, sizeof(*a));
	free(a);
	return r;
}

void auth_stop(struct auth *a)
{
	if (!a)
		return;
	while (a->jobs)
		auth_job_detach(a->jobs);
	if (a->save_later) {
		int on = SD_EVENT_OFF;

		if (sd_event_source_get_enabled(a->save_later, &on) >= 0 && on != SD_EVENT_OFF)
			acc_save(a);
		sd_event_source_disable_unref(a->save_later);
	}
	explicit_bzero(a, sizeof(*a));
	free(a);
}

/* --- Listing and admin operations ---------------------------------- */

size_t auth_list(const struct auth *a, struct account_info *out, size_t max)
{
	size_t n = 0;

	for (; n < a->n_acc && n < max; n++)
		acc_info(a, &a->acc[n], &out[n]);
	return n;
}

int auth_get(const struct auth *a, const char *user, struct account_info *out)
{
	for (size_t i = 0; user && i < a->n_acc; i++)
		if (strcmp(a->acc[i].name, user) == 0) {
			acc_info(a, &a->acc[i], out);
			return 0;
		}
	return -ENOENT;
}

/* Replaces the table by [fresh] if it can be saved; else keeps the old. */
static int table_replace(struct auth *a, const struct account *fresh, size_t n)
{
	struct account old[AUTH_MAX_USERS + 1];
	size_t old_n = a->n_acc;
	int r;

	memcpy(old, a->acc, sizeof(old));
	memmove(a->acc, fresh, n * sizeof(*fresh));
	memset(a->acc + n, 0, (AUTH_MAX_USERS + 1 - n) * sizeof(*fresh));
	a->n_acc = n;
	r = acc_save(a);
	if (r < 0) {
		memcpy(a->acc, old, sizeof(old));
		a->n_acc = old_n;
	}
	return r;
}

int auth_remove_user(struct auth *a, const char *user, const char *via, const char *who)
{
	struct account fresh[AUTH_MAX_USERS + 1];
	struct account *acc = acc_find(a, user);
	size_t n = 0;
	int r;

	if (!acc)
		return -ENOENT;
	if (acc->role == ROLE_ADMIN)
		return -EPERM;
	for (size_t i = 0; i < a->n_acc; i++)
		if (&a->acc[i] != acc)
			fresh[n++] = a->acc[i];
	r = table_replace(a, fresh, n);
	if (r < 0)
		return r;
	session_close_user(a, user);
	auth_emit(a, "gw.user_changed", "%s removed via %s by %s", user, nonull(via), nonull(who));
	return 0;
}

int auth_unlock(struct auth *a, const char *user, const char *via, const char *who)
{
	struct account *acc = acc_find(a, user);
	struct probe *p = acc || !user ? NULL : probe_find(a, user, false);
	struct lock_state old;
	int r = 0;

	if (!acc && !p)
		return -ENOENT;
	if (p) {
		lock_clear(&p->lock);
	} else {
		old = acc->lock;
		lock_clear(&acc->lock);
		r = acc_save(a);
		if (r < 0) {
			acc->lock = old;
			return r;
		}
	}
	auth_emit(a, "gw.account_unlocked", "%s via %s by %s", user, nonull(via), nonull(who));
	return 0;
}

int auth_reset(struct auth *a, const char *via, const char *who)
{
	struct account admin = { .name = "admin", .role = ROLE_ADMIN, .initial = true,
				 .must_change = true };
	int r = table_replace(a, &admin, 1);

	if (r < 0)
		return r;
	session_close_all(a);
	probe_clear_all(a);
	if (pw_initial_load(a) < 0)
		log_error("admin's initial password is unavailable until the next start");
	auth_emit(a, "gw.user_changed", "accounts reset: admin alone, on its initial password, via %s by %s",
		  nonull(via), nonull(who));
	log_notice("admin has its initial password (%s): it only allows setting a new one",
		   a->initial_source);
	return 0;
}

/* --- Backup ---------------------------------------------------------- */

json_t *auth_export(const struct auth *a)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < a->n_acc; i++)
		if (json_array_append_new(arr, acc_to_json(&a->acc[i], false)) < 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

int auth_import_check(const json_t *accounts, json_t *errors)
{
	struct account tmp[AUTH_MAX_USERS + 1];
	size_t n;

	return acc_table_from_json(accounts, "accounts", false, errors, tmp, &n);
}

int auth_import(struct auth *a, const json_t *accounts, const char *via, const char *who)
{
	struct account fresh[AUTH_MAX_USERS + 1];
	json_t *errors = json_array();
	size_t n;
	int r;

	r = errors ? acc_table_from_json(accounts, "accounts", false, errors, fresh, &n) : -ENOMEM;
	json_decref(errors);
	if (r < 0)
		return r;
	r = table_replace(a, fresh, n);
	if (r < 0)
		return r;
	session_close_all(a);
	probe_clear_all(a);
	auth_emit(a, "gw.user_changed", "accounts restored (admin and %zu user(s)) via %s by %s",
		  n - 1, nonull(via), nonull(who));
	return 0;
}
