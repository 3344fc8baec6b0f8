/* Sessions: in memory only (a restart logs everybody out), 256-bit
 * random tokens compared in constant time, an idle timeout
 * (auth.login_timeout) and the manual's single-session rule: a new login
 * closes the previous session of the same account. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth_priv.h"
#include "common/log.h"

static uint64_t idle_limit_usec(const struct auth *a)
{
	return (uint64_t)settings_int(a->m->settings, SET_AUTH_LOGIN_TIMEOUT) * 1000000u;
}

static bool slot_expired(const struct auth *a, const struct session_slot *slot, uint64_t now)
{
	return now - slot->s.seen_usec >= idle_limit_usec(a);
}

static void slot_clear(struct session_slot *slot)
{
	explicit_bzero(slot, sizeof(*slot));
}

void session_expire(struct auth *a)
{
	uint64_t now = a->clock.monotonic();

	for (size_t i = 0; i < AUTH_MAX_SESSIONS; i++)
		if (a->sessions[i].used && slot_expired(a, &a->sessions[i], now)) {
			log_info("session of %s from %s closed after %lld s idle", a->sessions[i].s.user,
				 a->sessions[i].s.peer,
				 settings_int(a->m->settings, SET_AUTH_LOGIN_TIMEOUT));
			slot_clear(&a->sessions[i]);
		}
}

void session_close_user(struct auth *a, const char *user)
{
	for (size_t i = 0; i < AUTH_MAX_SESSIONS; i++)
		if (a->sessions[i].used && strcmp(a->sessions[i].s.user, user) == 0)
			slot_clear(&a->sessions[i]);
}

void session_close_all(struct auth *a)
{
	for (size_t i = 0; i < AUTH_MAX_SESSIONS; i++)
		slot_clear(&a->sessions[i]);
}

/* A free slot, or the one idle longest when all are taken (only RADIUS
 * users, who have no account each, can be that many). */
static struct session_slot *slot_take(struct auth *a)
{
	struct session_slot *lru = &a->sessions[0];

	for (size_t i = 0; i < AUTH_MAX_SESSIONS; i++) {
		if (!a->sessions[i].used)
			return &a->sessions[i];
		if (a->sessions[i].s.seen_usec < lru->s.seen_usec)
			lru = &a->sessions[i];
	}
	log_notice("%d sessions open: closing the one of %s, idle longest", AUTH_MAX_SESSIONS,
		   lru->s.user);
	slot_clear(lru);
	return lru;
}

int session_open(struct auth *a, const char *user, enum role role, bool must_change,
		 bool radius, const char *peer, char *token, char *csrf)
{
	struct session_slot *slot;
	char t[AUTH_TOKEN_LEN + 1], c[AUTH_TOKEN_LEN + 1];

	if (random_token(t, sizeof(t)) < 0 || random_token(c, sizeof(c)) < 0)
		return -EIO;
	session_expire(a);
	session_close_user(a, user);
	slot = slot_take(a);
	slot->used = true;
	memcpy(slot->token, t, sizeof(t));
	snprintf(slot->s.user, sizeof(slot->s.user), "%s", user);
	slot->s.role = role;
	slot->s.must_change = must_change;
	slot->s.radius = radius;
	memcpy(slot->s.csrf, c, sizeof(c));
	snprintf(slot->s.peer, sizeof(slot->s.peer), "%s", peer);
	slot->s.opened_usec = slot->s.seen_usec = a->clock.monotonic();
	memcpy(token, t, sizeof(t));
	memcpy(csrf, c, sizeof(c));
	explicit_bzero(t, sizeof(t));
	explicit_bzero(c, sizeof(c));
	return 0;
}

/* The slot of [token], comparing with every slot in constant time so
 * that the reply time says nothing about how much of a token matched. */
static struct session_slot *slot_find(struct auth *a, const char *token)
{
	struct session_slot *found = NULL;

	if (!token || strnlen(token, AUTH_TOKEN_LEN + 1) != AUTH_TOKEN_LEN)
		return NULL;
	for (size_t i = 0; i < AUTH_MAX_SESSIONS; i++) {
		bool same = ct_equal(a->sessions[i].token, token, AUTH_TOKEN_LEN);

		if (same && a->sessions[i].used)
			found = &a->sessions[i];
	}
	return found;
}

const struct session *auth_session(struct auth *a, const char *token)
{
	struct session_slot *slot = slot_find(a, token);
	uint64_t now = a->clock.monotonic();

	if (!slot)
		return NULL;
	if (slot_expired(a, slot, now)) {
		log_info("session of %s from %s expired", slot->s.user, slot->s.peer);
		slot_clear(slot);
		return NULL;
	}
	slot->s.seen_usec = now;
	return &slot->s;
}

bool auth_csrf_ok(const struct session *s, const char *header)
{
	if (!s || !header || strnlen(header, AUTH_TOKEN_LEN + 1) != AUTH_TOKEN_LEN)
		return false;
	return ct_equal(s->csrf, header, AUTH_TOKEN_LEN);
}

void auth_logout(struct auth *a, const char *token)
{
	struct session_slot *slot = slot_find(a, token);

	if (!slot)
		return;
	log_info("%s logged out from %s", slot->s.user, slot->s.peer);
	slot_clear(slot);
}

unsigned auth_session_remaining(struct auth *a, const char *token)
{
	struct session_slot *slot = slot_find(a, token);
	uint64_t now = a->clock.monotonic(), limit = idle_limit_usec(a);

	if (!slot || slot_expired(a, slot, now))
		return 0;
	return (unsigned)((limit - (now - slot->s.seen_usec) + 999999u) / 1000000u);
}
