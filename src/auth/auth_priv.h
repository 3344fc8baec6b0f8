/* What the files of src/auth share behind auth.h: the account table,
 * the lockout counters, the sessions and the jobs in flight. Unit tests
 * include it to drive the clocks and look at the state. */
#pragma once

#include "common/fileio.h"

#include <crypt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"

#define AUTH_HASH_MAX 128               /* a yescrypt hash is ~75 characters */
#define AUTH_MAX_PROBES 64              /* unknown names whose failures are counted */
#define AUTH_FILE_MAX (64 * 1024)       /* accounts file and import size cap */
#define AUTH_INITIAL_MAX 16

/* Consecutive failures and the end of a lock (unix seconds; 0 = none). */
struct lock_state {
	unsigned failures;
	int64_t locked_until;
};

struct account {
	char name[AUTH_NAME_MAX + 1];
	enum role role;
	bool initial;                   /* admin on the initial password: no hash */
	char hash[AUTH_HASH_MAX];       /* "$y$...", empty when initial */
	bool must_change;
	int64_t password_changed;       /* unix seconds; 0 = never */
	struct lock_state lock;
};

/* An unknown (or RADIUS-only) name that failed: counted like an account
 * so that probing names costs the same as guessing passwords. */
struct probe {
	char name[AUTH_NAME_MAX + 1];
	struct lock_state lock;
	uint64_t seen_usec;
};

struct session_slot {
	bool used;
	char token[AUTH_TOKEN_LEN + 1];
	struct session s;
};

/* A job in the pool; auth_stop detaches the ones still in flight so that
 * their done callbacks (run by manager_drain_jobs) do not touch a freed
 * struct auth. */
struct auth_job {
	struct auth *a;                 /* NULL once detached */
	struct auth_job *prev, *next;
};

struct auth_clock {
	int64_t (*realtime)(void);      /* unix seconds */
	uint64_t (*monotonic)(void);    /* microseconds */
};

struct auth {
	struct manager *m;
	char path[256];                 /* <state_dir>/accounts */
	char state_dir[220];
	struct account acc[AUTH_MAX_USERS + 1];        /* acc[0] is admin */
	size_t n_acc;
	struct probe probes[AUTH_MAX_PROBES];
	struct lock_state overflow;     /* what a name gets when no probe is free */
	struct session_slot sessions[AUTH_MAX_SESSIONS];
	char initial[AUTH_INITIAL_MAX];  /* the initial admin password */
	char initial_source[300];       /* "the MAC address of eth0" or the file */
	char dummy[AUTH_HASH_MAX];      /* a setting no password matches */
	struct auth_job *jobs;          /* in flight */
	sd_event_source *save_later;    /* acc_save_soon's */
	struct auth_clock clock;
};

/* --- accounts.c ------------------------------------------------------ */
struct account *acc_find(struct auth *a, const char *name);
const char *acc_name_check(const char *name);            /* NULL or reason */
void acc_info(const struct auth *a, const struct account *acc, struct account_info *out);
int acc_days_left(const struct auth *a, const struct account *acc);
/* Saves the table; on failure logs it and returns -errno. */
int acc_save(struct auth *a);
/* Saves the table at the loop's next idle turn (or at auth_stop): a
 * failed login's reply leaves before the fsync, so its time does not
 * tell an account from an unknown name. */
void acc_save_soon(struct auth *a);
/* An event on the bus, detail as printf. */
void auth_emit(struct auth *a, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Whether [acc] still holds the credential [hash]/[initial] captured when
 * a job was submitted (a reset, import or change may have come between). */
bool acc_same_secret(const struct account *acc, bool initial, const char *hash);

/* --- acctfile.c ------------------------------------------------------ */
json_t *acc_to_json(const struct account *acc, bool with_lock);
/* Checks one account object; appends {"key","reason"} to [errors] (key
 * prefixed by [where]) and returns -EINVAL, or fills *out. */
int acc_from_json(const json_t *obj, const char *where, bool with_lock, json_t *errors,
		  struct account *out);
/* The table checked as a whole (count, unique names, one admin first). */
int acc_table_from_json(const json_t *arr, const char *where, bool with_lock, json_t *errors,
			struct account *out, size_t *n);
/* 0, -ENOENT (no file), or -EBADMSG/-errno after logging the reason. */
int acctfile_load(const char *path, struct account *out, size_t *n);
int acctfile_save(const char *path, const struct account *acc, size_t n);
/* Writes [data] to [path] atomically (temp file, fsync, rename, fsync of
 * the directory) with [mode]. */

/* --- password.c ------------------------------------------------------ */
/* Fills [out] with a fresh yescrypt setting; 0 or -errno. */
int pw_salt(char *out, size_t len);
/* Hashes [password] with [setting]; 0 or -errno (pool threads only). */
int pw_hash(const char *password, const char *setting, char *out, size_t len);
/* Whether [password] matches [hash] (pool threads only; constant time
 * over the hash). */
bool pw_verify(const char *password, const char *hash);
/* Accepted stored hash formats: NULL or the reason. */
const char *pw_hash_check(const char *hash);
bool ct_equal(const char *a, const char *b, size_t len);
/* The initial password from a sysfs tree (tests give their own root). */
int pw_initial_from(const char *sysfs_net, char *buf, size_t len, char *ifname, size_t iflen);
/* The initial password of this box: the MAC, or <state_dir>/initial-password. */
int pw_initial_load(struct auth *a);
int random_token(char *hex, size_t len);          /* len >= AUTH_TOKEN_LEN + 1 */

/* --- lockout.c ------------------------------------------------------- */
/* Whether [l] is locked at [now]; an elapsed lock starts afresh and a
 * lock reaching further than [minutes] (the clock went back) is cut. */
bool lock_active(struct lock_state *l, int64_t now, long long minutes);
/* Counts a failure; true when it locks (after [attempts] in a row). */
bool lock_fail(struct lock_state *l, int64_t now, long long attempts, long long minutes);
void lock_clear(struct lock_state *l);
/* The probe entry of [name], created (evicting the oldest) if [create]. */
struct probe *probe_find(struct auth *a, const char *name, bool create);
void probe_clear_all(struct auth *a);
/* When every probe holds a count or a lock, a name without one is
 * treated as locked (fail closed): a locked state for it; else NULL. */
struct lock_state *probe_overflow(struct auth *a);

/* --- session.c ------------------------------------------------------- */
/* Opens a session, closing the previous one of the same name (and the
 * least recently used one when all are taken); 0 or -errno. */
int session_open(struct auth *a, const char *user, enum role role, bool must_change,
		 bool radius, const char *peer, char *token, char *csrf);
void session_close_user(struct auth *a, const char *user);
void session_close_all(struct auth *a);
void session_expire(struct auth *a);

/* --- login.c --------------------------------------------------------- */
void auth_job_attach(struct auth *a, struct auth_job *j);
void auth_job_detach(struct auth_job *j);
/* The lock counters of [name]: its account's, or a probe entry (created
 * when [create]), or probe_overflow's when no probe can be had; NULL for
 * a name that cannot exist or has no count yet. */
struct lock_state *lock_of(struct auth *a, const char *name, bool create);
/* Counts a failed authentication of [name]; logs gw.login_failed and, if
 * it locks, gw.account_locked. True when it locked. */
bool login_failed(struct auth *a, const char *name, const char *from, const char *why);

/* --- radius.c -------------------------------------------------------- */
enum radius_answer {
	RADIUS_OFF = 0,         /* not asked (disabled, or the admin account) */
	RADIUS_ACCEPT,
	RADIUS_REJECT,
	RADIUS_DOWN,            /* no server answered */
};

struct radius_server {
	char host[256];
	char secret[65];
};

/* A copy of the settings for a job: the pool never reads m->settings. */
struct radius_config {
	struct radius_server server[2];
	size_t n_server;
	unsigned port;
	int timeout, retries;
	char nas_id[64];
};

/* Fills [cfg] from [s]; false when RADIUS is off or has no server. */
bool radius_config_from(const struct settings *s, struct radius_config *cfg);
/* One Access-Request to [srv] (radpkt.c, pool threads only); *why says
 * what went wrong when no genuine answer came. */
enum radius_answer radius_exchange(const struct radius_config *cfg, const struct radius_server *srv,
				   const char *user, const char *password, const char **why);
/* Asks the servers in order (pool threads only). */
enum radius_answer radius_check(const struct radius_config *cfg, const char *user,
				const char *password);
/* The access of an accepted RADIUS user: ROLE_NONE when disabled. */
enum role radius_role(const struct settings *s, const char *user);
void radius_config_wipe(struct radius_config *cfg);
