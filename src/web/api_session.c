/* Logging in and out, the session's own view, and the password change
 * (the one thing a session that must change its password may do). */
#include "web/api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct login_wait {
	struct web_request *r;
	char user[AUTH_NAME_MAX + 1];
};

static void login_locked(struct web_request *r, int64_t until)
{
	int64_t left = until - (int64_t)time(NULL);
	char retry[24];
	json_t *body;

	if (left < 1)
		left = 1;
	snprintf(retry, sizeof(retry), "%lld", (long long)left);
	web_add_header(r, "Retry-After", retry);
	body = json_pack("{s:{s:s,s:s},s:I}", "error", "code", "locked", "message",
			 "too many failed logins: the account is locked", "retry_after",
			 (json_int_t)left);
	if (body)
		web_reply_json(r, 423, body);
	else
		web_reply_error(r, 500, "internal", "out of memory");
}

static void login_opened(struct web_request *r, const char *user, const struct login_result *res)
{
	const struct web_deps *d = web_deps(r);
	json_t *body;

	web_set_session_cookie(r, res->token);
	body = json_pack("{s:s,s:s,s:b,s:b,s:b,s:s,s:i}", "user", user, "role", role_name(res->role),
			 "must_change", res->must_change, "expired", res->status == LOGIN_EXPIRED,
			 "radius", res->radius, "csrf", res->csrf, "timeout",
			 (int)auth_session_remaining(d->auth, res->token));
	if (body && res->days_left >= 0)
		json_object_set_new(body, "days_left", json_integer(res->days_left));
	else if (body)
		json_object_set_new(body, "days_left", json_null());
	if (body)
		web_reply_json(r, 200, body);
	else
		web_reply_error(r, 500, "internal", "out of memory");
}

static void login_done(void *userdata, const struct login_result *res)
{
	struct login_wait *w = userdata;
	struct web_request *r = w->r;

	switch (res->status) {
	case LOGIN_OK:
		login_opened(r, w->user, res);
		break;
	case LOGIN_EXPIRED:
		/* Expired passwords still open a session that may only change it. */
		if (res->token[0])
			login_opened(r, w->user, res);
		else
			web_reply_error(r, 403, "password_expired",
					"the password has expired: an administrator must reset it");
		break;
	case LOGIN_LOCKED:
		login_locked(r, res->locked_until);
		break;
	case LOGIN_UNAVAILABLE:
		web_add_header(r, "Retry-After", "1");
		web_reply_error(r, 503, "unavailable", "the server is busy: try again");
		break;
	case LOGIN_BAD:
	default:
		web_reply_error(r, 401, "bad_credentials", "unknown user or wrong password");
		break;
	}
	free(w);
}

void api_login(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	struct login_wait *w;
	const char *user, *password;
	json_t *body;
	int rc;

	/* The server has checked Origin already (login CSRF). */
	body = web_body_json(r);
	if (!body)
		return;
	user = api_body_string(r, body, "user", 256);
	password = user ? api_body_string(r, body, "password", 1024) : NULL;
	if (!password)
		return;
	/* Names and passwords no account can have fail like any other:
	 * the reply never tells which of the two was wrong. */
	if (!user[0] || strlen(user) > AUTH_NAME_MAX || strlen(password) > AUTH_PASSWORD_MAX) {
		web_reply_error(r, 401, "bad_credentials", "unknown user or wrong password");
		return;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		web_reply_error(r, 503, "unavailable", "out of memory");
		return;
	}
	w->r = r;
	snprintf(w->user, sizeof(w->user), "%s", user);
	rc = auth_login(d->auth, user, password, web_peer(r), login_done, w);
	if (rc < 0) {
		free(w);
		web_add_header(r, "Retry-After", "1");
		web_reply_error(r, 503, "unavailable", "the server is busy: try again");
		return;
	}
	web_suspend(r);
}

void api_logout(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);

	auth_logout(d->auth, web_session_token(r));
	web_set_session_cookie(r, NULL);
	api_reply(r, 200, json_pack("{s:b}", "logged_out", 1));
}

void api_session_get(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	const struct session *s = web_session(r);
	struct account_info info;
	json_t *body;

	body = json_pack("{s:s,s:s,s:b,s:b,s:s,s:s,s:i}", "user", s->user, "role",
			 role_name(s->role), "must_change", s->must_change, "radius", s->radius,
			 "csrf", s->csrf, "peer", s->peer, "timeout",
			 (int)auth_session_remaining(d->auth, web_session_token(r)));
	if (!body) {
		web_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	if (!s->radius && auth_get(d->auth, s->user, &info) == 0 && info.days_left >= 0)
		json_object_set_new(body, "days_left", json_integer(info.days_left));
	else
		json_object_set_new(body, "days_left", json_null());
	web_reply_json(r, 200, body);
}

static void password_done(void *userdata, int result, const char *reason)
{
	struct web_request *r = userdata;

	switch (result) {
	case 0:
		/* Every session of the account is closed: log in again. */
		web_set_session_cookie(r, NULL);
		api_reply(r, 200, json_pack("{s:b,s:b}", "changed", 1, "login_required", 1));
		break;
	case -EPERM:
		web_reply_error(r, 403, "wrong_password", "the old password is wrong");
		break;
	case -EINVAL:
		web_reply_error(r, 422, "password_policy", "%s",
				reason ? reason : "the new password does not meet the policy");
		break;
	case -ENOENT:
		web_reply_error(r, 404, "no_such_user", "the account no longer exists");
		break;
	default:
		web_reply_error(r, 503, "unavailable", "%s", reason ? reason : "try again");
		break;
	}
}

void api_password(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	const struct session *s = web_session(r);
	const char *old, *new_password;
	char user[AUTH_NAME_MAX + 1];
	json_t *body;
	int rc;

	if (s->radius) {
		web_reply_error(r, 409, "not_local",
				"a RADIUS account's password is changed on the RADIUS server");
		return;
	}
	body = web_body_json(r);
	if (!body)
		return;
	old = api_body_string(r, body, "old", AUTH_PASSWORD_MAX);
	new_password = old ? api_body_string(r, body, "new", AUTH_PASSWORD_MAX) : NULL;
	if (!new_password)
		return;
	snprintf(user, sizeof(user), "%s", s->user);
	rc = auth_change_password(d->auth, user, old, new_password, "web", web_who(r),
				  password_done, r);
	if (rc < 0) {
		/* Refused before any hashing: say why as the callback would. */
		password_done(r, rc, rc == -EINVAL ? auth_password_policy(new_password) : NULL);
		return;
	}
	web_suspend(r);
}
