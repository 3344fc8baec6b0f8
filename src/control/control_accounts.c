/* Local API: the accounts of the web interface. Root and the upsgate
 * group (the socket's mode) may list them, set a password without the
 * old one (a forgotten password) and reset admin. Passwords arrive as
 * the request's body, never on a command line. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "control/control_priv.h"

#define VIA "upsgatectl"

bool ctl_check_user(const char *args)
{
	size_t n = strlen(args);

	if (n == 0 || n > AUTH_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)args[i]))
			return false;
	return true;
}

bool ctl_check_password(const char *args)
{
	return strcmp(args, "reset admin") == 0;
}

static char *no_accounts(size_t *len)
{
	return ctl_printf(len, "error: accounts are not available in this daemon\n");
}

static json_t *user_json(const struct account_info *a, time_t now)
{
	bool locked = a->locked_until > now;

	return json_pack("{s:s, s:s, s:b, s:I, s:b, s:i, s:i}", "name", a->name,
			 "role", role_name(a->role), "locked", locked,
			 "locked_until", (json_int_t)(locked ? a->locked_until : 0),
			 "must_change", a->must_change, "days_left", a->days_left,
			 "failures", (int)a->failures);
}

static void user_line(FILE *f, const struct account_info *a, time_t now)
{
	char days[32];

	if (a->days_left < 0)
		snprintf(days, sizeof(days), "never expires");
	else
		snprintf(days, sizeof(days), "%d", a->days_left);
	fprintf(f, "%-16s  %-10s  %-6s  %s%s\n", a->name, role_name(a->role),
		a->locked_until > now ? "yes" : "no", days,
		a->must_change ? " (password must be changed)" : "");
}

/* "users" as JSON, "users text" as a table. */
char *ctl_users(struct ctl_request *rq, size_t *len)
{
	struct account_info list[AUTH_MAX_USERS + 1];
	time_t now = time(NULL);
	char *text = NULL, *r;
	size_t n, used = 0;
	json_t *arr;
	FILE *f;

	if (!rq->auth)
		return no_accounts(len);
	n = auth_list(rq->auth, list, sizeof(list) / sizeof(list[0]));
	if (strcmp(rq->args, "text") != 0) {
		arr = json_array();
		for (size_t i = 0; arr && i < n; i++)
			json_array_append_new(arr, user_json(&list[i], now));
		text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
		json_decref(arr);
		r = text ? ctl_printf(len, "%s\n", text) : NULL;
		free(text);
		return r;
	}
	f = open_memstream(&text, &used);
	if (!f)
		return NULL;
	fprintf(f, "%-16s  %-10s  %-6s  %s\n", "NAME", "ROLE", "LOCKED", "DAYS LEFT");
	for (size_t i = 0; i < n; i++)
		user_line(f, &list[i], now);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	*len = used;
	return text;
}

struct passwd_job {
	struct ctl_pending *pending;
	char user[AUTH_NAME_MAX + 1];
};

static void passwd_done(void *userdata, int result, const char *reason)
{
	struct passwd_job *job = userdata;
	size_t len = 0;
	char *r;

	if (result == 0)
		r = ctl_printf(&len, "password of %s changed\n", job->user);
	else if (result == -ENOENT)
		r = ctl_printf(&len, "error: no user %s\n", job->user);
	else
		r = ctl_printf(&len, "error: password of %s not changed: %s\n", job->user,
			       reason ? reason : strerror(-result));
	control_finish(job->pending, r, len);
	free(job);
}

/* "passwd USER" with the new password as body; hashing runs in the job
 * pool, so the reply comes later. */
char *ctl_passwd(struct ctl_request *rq, size_t *len)
{
	struct passwd_job *job;
	int r;

	if (!rq->auth)
		return no_accounts(len);
	if (strlen(rq->body) != rq->body_len)
		return ctl_printf(len, "error: the password contains a NUL byte\n");
	job = calloc(1, sizeof(*job));
	if (!job || !(job->pending = control_defer(rq))) {
		free(job);
		return NULL;
	}
	snprintf(job->user, sizeof(job->user), "%s", rq->args);
	r = auth_change_password(rq->auth, rq->args, NULL, rq->body, VIA, rq->who, passwd_done, job);
	if (r < 0) {
		free(job->pending);
		rq->pending = NULL;
		free(job);
		return ctl_printf(len, "error: password of %s not changed: %s\n", rq->args, strerror(-r));
	}
	return NULL;
}

/* "password reset admin": back to the initial password. */
char *ctl_password(struct ctl_request *rq, size_t *len)
{
	int r;

	if (!rq->auth)
		return no_accounts(len);
	r = auth_reset(rq->auth, VIA, rq->who);
	if (r < 0)
		return ctl_printf(len, "error: accounts not reset: %s\n", strerror(-r));
	return ctl_printf(len, "admin has the initial password again (the last 6 characters of "
			  "the first Ethernet MAC address) and must change it at the next login; "
			  "the other users were removed and every session closed\n");
}
