/* Sessions: idle timeout (and its refresh), the single-session rule,
 * capacity, logout, the CSRF comparison and a timeout changed by a
 * reload. */
#include "auth-test.h"

struct opened {
	char token[AUTH_TOKEN_LEN + 1];
	char csrf[AUTH_TOKEN_LEN + 1];
};

static struct opened open_one(struct auth *a, const char *user, bool radius)
{
	struct opened o;

	if (session_open(a, user, ROLE_READ_ONLY, false, radius, "192.0.2.1", o.token, o.csrf) < 0) {
		fprintf(stderr, "session_open failed\n");
		exit(1);
	}
	return o;
}

static void check_timeout(struct harness *h, struct auth *a)
{
	struct opened o = open_one(a, "alice", false);
	const struct session *s;

	s = auth_session(a, o.token);
	CHECK(s && strcmp(s->user, "alice") == 0 && s->role == ROLE_READ_ONLY, "found");
	CHECK(auth_session_remaining(a, o.token) == 300, "300 s left: %u",
	      auth_session_remaining(a, o.token));
	advance(299);
	CHECK(auth_session_remaining(a, o.token) == 1, "1 s left after 299 s idle");
	CHECK(auth_session(a, o.token) != NULL, "still open after 299 s idle, and refreshed");
	advance(299);
	CHECK(auth_session(a, o.token) != NULL, "the refresh gave it another 300 s");
	advance(300);
	CHECK(auth_session(a, o.token) == NULL, "closed after 300 s idle");
	CHECK(auth_session_remaining(a, o.token) == 0, "nothing left");

	/* A reload with a shorter timeout applies to open sessions. */
	o = open_one(a, "alice", false);
	advance(100);
	harness_reload(h, "auth = { login_timeout = 60; };");
	CHECK(auth_session(a, o.token) == NULL, "login_timeout lowered to 60: a 100 s idle session is gone");
	harness_reload(h, NULL);
}

static void check_single_session(struct auth *a)
{
	struct opened first = open_one(a, "bob", false), second, carol;

	carol = open_one(a, "carol", false);
	second = open_one(a, "bob", false);
	CHECK(auth_session(a, first.token) == NULL, "a new login closes bob's previous session");
	CHECK(auth_session(a, second.token) != NULL, "the new one is open");
	CHECK(auth_session(a, carol.token) != NULL, "carol's session is untouched");
	session_close_user(a, "bob");
	CHECK(auth_session(a, second.token) == NULL, "session_close_user");
	auth_logout(a, carol.token);
	CHECK(auth_session(a, carol.token) == NULL, "logout");
	auth_logout(a, carol.token);    /* twice: harmless */
	auth_logout(a, NULL);
	auth_logout(a, "short");
}

static void check_capacity(struct auth *a)
{
	struct opened o[AUTH_MAX_SESSIONS + 1];
	char name[32];

	session_close_all(a);
	for (int i = 0; i <= AUTH_MAX_SESSIONS; i++) {
		snprintf(name, sizeof(name), "radius%d", i);
		advance(1);
		o[i] = open_one(a, name, true);
		if (i == 1) {
			advance(1);
			auth_session(a, o[0].token);        /* radius0 is now seen after radius1 */
		}
	}
	CHECK(auth_session(a, o[AUTH_MAX_SESSIONS].token) != NULL, "the 33rd session opens");
	CHECK(auth_session(a, o[1].token) == NULL, "by closing the one idle longest (radius1)");
	CHECK(auth_session(a, o[0].token) != NULL, "radius0, used since, stays");
	session_close_all(a);
	CHECK(auth_session(a, o[0].token) == NULL, "close_all");
}

static void check_csrf_and_tokens(struct auth *a)
{
	struct opened o = open_one(a, "dave", false);
	const struct session *s = auth_session(a, o.token);
	char wrong[AUTH_TOKEN_LEN + 1];

	CHECK(s && auth_csrf_ok(s, o.csrf), "the right CSRF token");
	snprintf(wrong, sizeof(wrong), "%s", o.csrf);
	wrong[AUTH_TOKEN_LEN - 1] = wrong[AUTH_TOKEN_LEN - 1] == '0' ? '1' : '0';
	CHECK(!auth_csrf_ok(s, wrong), "last character wrong");
	CHECK(!auth_csrf_ok(s, ""), "empty");
	CHECK(!auth_csrf_ok(s, NULL), "missing");
	CHECK(!auth_csrf_ok(NULL, o.csrf), "no session");
	wrong[AUTH_TOKEN_LEN - 1] = 0;
	CHECK(!auth_csrf_ok(s, wrong), "a prefix");
	CHECK(strcmp(o.csrf, o.token) != 0, "token and CSRF token differ");
	CHECK(auth_session(a, o.csrf) == NULL, "the CSRF token is not a session token");
	snprintf(wrong, sizeof(wrong), "%s", o.token);
	wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
	CHECK(auth_session(a, wrong) == NULL, "a token off by one character");
	CHECK(auth_session(a, NULL) == NULL && auth_session(a, "") == NULL, "no token");
	{
		char longer[AUTH_TOKEN_LEN + 2];

		snprintf(longer, sizeof(longer), "%sa", o.token);
		CHECK(auth_session(a, longer) == NULL, "a token with one more character");
	}
}

int main(void)
{
	struct harness h;
	struct auth *a = NULL;

	log_setup("test-auth-session", LOG_WARNING);
	harness_init(&h, NULL);
	CHECK(harness_start(&h, &a) == 0, "auth_start");
	check_timeout(&h, a);
	check_single_session(a);
	check_capacity(a);
	check_csrf_and_tokens(a);
	auth_stop(a);
	harness_fini(&h);
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
