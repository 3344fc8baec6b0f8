/* The multi-user table (admin only): list, add or change (role and an
 * optional password the user must change at first login), remove,
 * unlock. auth.c checks and logs each change with who and from where. */
#include "web/api.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static json_t *time_or_null(int64_t secs)
{
	char iso[32];

	if (!secs)
		return json_null();
	api_iso_time(secs, iso, sizeof(iso));
	return json_string(iso);
}

static json_t *account_json(const struct account_info *a)
{
	json_t *o = json_pack("{s:s,s:s,s:b,s:I,s:b}", "name", a->name, "role", role_name(a->role),
			      "must_change", a->must_change, "failures", (json_int_t)a->failures,
			      "locked", a->locked_until > 0);

	if (!o)
		return NULL;
	json_object_set_new(o, "password_changed", time_or_null(a->password_changed));
	json_object_set_new(o, "locked_until", time_or_null(a->locked_until));
	json_object_set_new(o, "days_left", a->days_left >= 0 ? json_integer(a->days_left) : json_null());
	return o;
}

void api_users_list(struct web_request *r)
{
	struct account_info list[AUTH_MAX_USERS + 1];
	size_t n = auth_list(web_deps(r)->auth, list, AUTH_MAX_USERS + 1);
	json_t *users = json_array();

	for (size_t i = 0; users && i < n; i++)
		json_array_append_new(users, account_json(&list[i]));
	api_reply(r, 200, json_pack("{s:o,s:i}", "users", users, "max_users", AUTH_MAX_USERS));
}

/* The {name} of /users/{name}[/action] into [name]; [action] gets what
 * follows ("" when nothing). Replies 404 and returns false when it is
 * not a possible account name. */
static bool user_path(struct web_request *r, char name[AUTH_NAME_MAX + 1], const char **action)
{
	const char *rest = web_path_rest(r), *slash = strchr(rest, '/');
	size_t n = slash ? (size_t)(slash - rest) : strlen(rest);

	*action = slash ? slash + 1 : "";
	if (n == 0 || n > AUTH_NAME_MAX) {
		web_reply_error(r, 404, "no_such_user", "no such account");
		return false;
	}
	memcpy(name, rest, n);
	name[n] = '\0';
	return true;
}

static void reply_account(struct web_request *r, const char *name, unsigned status)
{
	struct account_info info;

	if (auth_get(web_deps(r)->auth, name, &info) < 0)
		web_reply_error(r, 404, "no_such_user", "no account named '%s'", name);
	else
		api_reply(r, status, account_json(&info));
}

static void reply_refused(struct web_request *r, int result, const char *reason)
{
	switch (result) {
	case -EINVAL:
		web_reply_error(r, 422, "invalid_user", "%s", reason ? reason : "invalid account");
		break;
	case -ENOSPC:
		web_reply_error(r, 409, "too_many_users", "at most %d users besides admin",
				AUTH_MAX_USERS);
		break;
	case -EPERM:
		web_reply_error(r, 403, "forbidden", "%s", reason ? reason : "the admin account cannot be changed here");
		break;
	case -ENOENT:
		web_reply_error(r, 404, "no_such_user", "no such account");
		break;
	default:
		web_reply_error(r, 503, "unavailable", "%s", reason ? reason : "try again");
		break;
	}
}

static void set_user_done(void *userdata, int result, const char *reason)
{
	struct web_request *r = userdata;
	char name[AUTH_NAME_MAX + 1];
	const char *action;

	if (result < 0)
		reply_refused(r, result, reason);
	else if (user_path(r, name, &action))
		reply_account(r, name, 200);
}

void api_user_put(struct web_request *r)
{
	char name[AUTH_NAME_MAX + 1];
	const char *action, *role_text, *password = NULL;
	json_t *body;
	int role, rc;

	if (!user_path(r, name, &action))
		return;
	if (action[0]) {
		web_reply_error(r, 404, "not_found", "no such resource");
		return;
	}
	if (!(body = web_body_json(r)) || !(role_text = api_body_string(r, body, "role", 32)))
		return;
	role = role_from_name(role_text);
	if (role != ROLE_READ_ONLY && role != ROLE_READ_WRITE) {
		web_reply_error(r, 422, "invalid_user", "role must be read-only or read-write");
		return;
	}
	if (json_object_get(body, "password") &&
	    !(password = api_body_string(r, body, "password", AUTH_PASSWORD_MAX)))
		return;
	rc = auth_set_user(web_deps(r)->auth, name, (enum role)role, password, "web", web_who(r),
			   set_user_done, r);
	if (rc < 0) {
		reply_refused(r, rc, rc == -EINVAL && password ? auth_password_policy(password) : NULL);
		return;
	}
	web_suspend(r);
}

void api_user_delete(struct web_request *r)
{
	char name[AUTH_NAME_MAX + 1];
	const char *action;
	int rc;

	if (!user_path(r, name, &action))
		return;
	if (action[0]) {
		web_reply_error(r, 404, "not_found", "no such resource");
		return;
	}
	rc = auth_remove_user(web_deps(r)->auth, name, "web", web_who(r));
	if (rc < 0)
		reply_refused(r, rc, rc == -EPERM ? "the admin account cannot be removed" : NULL);
	else
		api_reply(r, 200, json_pack("{s:s}", "removed", name));
}

void api_user_post(struct web_request *r)
{
	char name[AUTH_NAME_MAX + 1];
	const char *action;
	int rc;

	if (!user_path(r, name, &action))
		return;
	if (strcmp(action, "unlock") != 0) {
		web_reply_error(r, 404, "not_found", "no such resource (POST /users/NAME/unlock)");
		return;
	}
	rc = auth_unlock(web_deps(r)->auth, name, "web", web_who(r));
	if (rc < 0)
		reply_refused(r, rc, NULL);
	else
		reply_account(r, name, 200);
}
