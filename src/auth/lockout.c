/* Lockout: [attempts] consecutive failures lock a name for [minutes].
 * Accounts keep their counters in the accounts file (a restart does not
 * unlock them); names that are not accounts are counted in a bounded
 * table in memory, so probing for names costs what guessing costs and
 * the replies never tell the two apart. */
#include <string.h>

#include "auth/auth_priv.h"

bool lock_active(struct lock_state *l, int64_t now, long long minutes)
{
	int64_t longest = now + (int64_t)minutes * 60;

	if (!l->locked_until)
		return false;
	if (now >= l->locked_until) {
		lock_clear(l);
		return false;
	}
	if (l->locked_until > longest)
		l->locked_until = longest;
	return true;
}

bool lock_fail(struct lock_state *l, int64_t now, long long attempts, long long minutes)
{
	if (lock_active(l, now, minutes))
		return false;           /* already locked: nothing more to count */
	l->failures++;
	if (l->failures < (unsigned long long)attempts)
		return false;
	l->failures = 0;
	l->locked_until = now + (int64_t)minutes * 60;
	return true;
}

void lock_clear(struct lock_state *l)
{
	l->failures = 0;
	l->locked_until = 0;
}

/* Which entry a full table gives up first: an unlocked one, with the
 * fewest failures, seen longest ago. */
static bool evict_before(const struct probe *p, const struct probe *q)
{
	if (!p->name[0] || !q->name[0])
		return !p->name[0];
	if (!p->lock.locked_until != !q->lock.locked_until)
		return !p->lock.locked_until;
	if (p->lock.failures != q->lock.failures)
		return p->lock.failures < q->lock.failures;
	return p->seen_usec < q->seen_usec;
}

/* Only an entry that holds nothing may be given up: free, no failure and
 * no lock running, or failures older than a lockout. Giving up a counted
 * name would let a flood of fresh names wash out its count. */
static bool probe_evictable(struct auth *a, const struct probe *p)
{
	uint64_t window = (uint64_t)settings_int(a->m->settings, SET_AUTH_LOCKOUT_MINUTES) * 60000000u;

	if (!p->name[0])
		return true;
	if (p->lock.locked_until > a->clock.realtime())
		return false;
	return !p->lock.failures || a->clock.monotonic() - p->seen_usec >= window;
}

struct probe *probe_find(struct auth *a, const char *name, bool create)
{
	struct probe *victim = NULL;

	for (size_t i = 0; i < AUTH_MAX_PROBES; i++) {
		struct probe *p = &a->probes[i];

		if (p->name[0] && strcmp(p->name, name) == 0) {
			if (create)
				p->seen_usec = a->clock.monotonic();
			return p;
		}
		if (probe_evictable(a, p) && (!victim || evict_before(p, victim)))
			victim = p;
	}
	if (!create || !victim || strlen(name) > AUTH_NAME_MAX)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	memcpy(victim->name, name, strlen(name) + 1);
	victim->seen_usec = a->clock.monotonic();
	return victim;
}

struct lock_state *probe_overflow(struct auth *a)
{
	for (size_t i = 0; i < AUTH_MAX_PROBES; i++)
		if (probe_evictable(a, &a->probes[i]))
			return NULL;
	a->overflow.failures = 0;
	a->overflow.locked_until = a->clock.realtime() +
				   settings_int(a->m->settings, SET_AUTH_LOCKOUT_MINUTES) * 60;
	return &a->overflow;
}

void probe_clear_all(struct auth *a)
{
	memset(a->probes, 0, sizeof(a->probes));
}
