/* Accounts, logins and sessions: the one place that decides who may
 * use the web API (and what upsgatectl may change about accounts).
 *
 *  - admin plus up to AUTH_MAX_USERS users, Read Only or Read/Write
 *    (§15.4), kept in <state_dir>/accounts (JSON, 0600, atomic writes);
 *    passwords as yescrypt hashes, never logged, never returned;
 *  - the initial admin password is the last 6 characters of the first
 *    Ethernet interface's MAC address and only lets its owner set a new
 *    one (§11.6);
 *  - password policy of §11.6 and a validity period (auth.password_days);
 *  - lockout after auth.lockout_attempts failures for auth.lockout_minutes;
 *  - RADIUS first when auth.radius.enabled (§15.4, §15.10), local
 *    accounts when the user is unknown there or no server answers;
 *  - sessions: 256-bit random tokens, CSRF token, idle timeout
 *    (auth.login_timeout), a new login closes the same account's
 *    previous session (the manual's single-session rule).
 *
 * Hashing and RADIUS run in the manager's job pool: every call that
 * needs them reports through a callback from the main loop, never
 * synchronously. Everything else runs on the main loop. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/manager.h"

#define AUTH_MAX_USERS 8                /* besides admin */
#define AUTH_NAME_MAX 31
#define AUTH_PASSWORD_MAX 128
#define AUTH_TOKEN_LEN 64               /* hex of 256 random bits */
#define AUTH_MAX_SESSIONS 32

enum role {
	ROLE_NONE = 0,
	ROLE_READ_ONLY,
	ROLE_READ_WRITE,
	ROLE_ADMIN,
};

const char *role_name(enum role r);             /* "read-only", "read-write", "admin" */
int role_from_name(const char *name);           /* role or -EINVAL */

struct account_info {                   /* what may be shown: never the hash */
	char name[AUTH_NAME_MAX + 1];
	enum role role;
	bool must_change;               /* initial or reset password */
	int64_t password_changed;       /* unix seconds; 0 = never */
	int days_left;                  /* password validity; -1 = does not expire */
	unsigned failures;              /* consecutive failed logins */
	int64_t locked_until;           /* unix seconds; 0 = not locked */
};

struct auth;

/* Opens the accounts (creating admin with the initial password when the
 * file does not exist) and follows m's settings on reload. */
int auth_start(struct auth **out, struct manager *m);
void auth_stop(struct auth *a);                 /* accepts NULL */

/* NULL when [password] meets the policy, else the reason, for people
 * ("at least 12 characters", "'$' is not allowed: use ! % # @ ^ *"...). */
const char *auth_password_policy(const char *password);
/* The initial admin password of this machine (for ./dev demo and the
 * docs); 0 or -errno. */
int auth_initial_password(char *buf, size_t len);

/* --- Logins --------------------------------------------------------- */

enum login_status {
	LOGIN_OK = 0,
	LOGIN_BAD,                      /* unknown user or wrong password */
	LOGIN_LOCKED,                   /* too many failures: locked_until */
	LOGIN_EXPIRED,                  /* password too old: must change it */
	LOGIN_UNAVAILABLE,              /* out of resources; try again */
};

struct login_result {
	enum login_status status;
	enum role role;
	bool must_change;               /* only a password change is allowed */
	bool radius;                    /* authenticated by a RADIUS server */
	int days_left;                  /* -1 = does not expire */
	int64_t locked_until;
	char token[AUTH_TOKEN_LEN + 1]; /* LOGIN_OK: the new session */
	char csrf[AUTH_TOKEN_LEN + 1];
};

typedef void (*auth_login_fn)(void *userdata, const struct login_result *res);

/* Checks [user]/[password] from [peer] (text address, for the logs and
 * the event log); on success opens a session (closing the account's
 * previous one). Logs gw.login, gw.login_failed, gw.account_locked.
 * [done] is called from the loop; 0 or -EAGAIN/-ENOMEM (not called). */
int auth_login(struct auth *a, const char *user, const char *password, const char *peer,
	       auth_login_fn done, void *userdata);

/* --- Sessions ------------------------------------------------------- */

struct session {
	char user[AUTH_NAME_MAX + 1];
	enum role role;
	bool must_change;
	bool radius;
	char csrf[AUTH_TOKEN_LEN + 1];
	char peer[48];
	uint64_t opened_usec, seen_usec;        /* CLOCK_MONOTONIC */
};

/* The session of [token] if it exists and has not been idle longer than
 * auth.login_timeout; refreshes its idle time. NULL otherwise. */
const struct session *auth_session(struct auth *a, const char *token);
/* Constant-time comparison of the X-CSRF-Token header with the session's. */
bool auth_csrf_ok(const struct session *s, const char *header);
void auth_logout(struct auth *a, const char *token);
/* Seconds before [token]'s session expires when left idle; 0 = gone. */
unsigned auth_session_remaining(struct auth *a, const char *token);

/* --- Account management (admin) ------------------------------------ */

typedef void (*auth_done_fn)(void *userdata, int result, const char *reason);

/* Changes [user]'s password after checking [old] (NULL: an admin reset
 * by upsgatectl, no old password needed). The policy and "not the same
 * as the old one" are checked first; closes the user's sessions. Logs
 * gw.password_changed with [who]/[via]. [done] gets 0 or -EPERM (old
 * password wrong), -EINVAL (policy: reason), -ENOENT. */
int auth_change_password(struct auth *a, const char *user, const char *old,
			 const char *new_password, const char *via, const char *who,
			 auth_done_fn done, void *userdata);
/* Adds or updates a user (not admin): role and, when [password] is not
 * NULL, a password the user must change at first login. */
int auth_set_user(struct auth *a, const char *user, enum role role, const char *password,
		  const char *via, const char *who, auth_done_fn done, void *userdata);
int auth_remove_user(struct auth *a, const char *user, const char *via, const char *who);
int auth_unlock(struct auth *a, const char *user, const char *via, const char *who);
/* admin back to the initial password (must change), no other users, no
 * session: factory reset and `upsgatectl password reset admin`. */
int auth_reset(struct auth *a, const char *via, const char *who);

size_t auth_list(const struct auth *a, struct account_info *out, size_t max);
int auth_get(const struct auth *a, const char *user, struct account_info *out);

/* --- Backup ----------------------------------------------------------- */
struct json_t;
/* The accounts with their hashes, for a backup. */
struct json_t *auth_export(const struct auth *a);
/* Checks an exported array completely; appends {"key","reason"} objects
 * to [errors]; 0 or -EINVAL. */
int auth_import_check(const struct json_t *accounts, struct json_t *errors);
/* Replaces the accounts (after auth_import_check); closes all sessions. */
int auth_import(struct auth *a, const struct json_t *accounts, const char *via, const char *who);
