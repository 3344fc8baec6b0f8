/* The in-process event bus: synchronous delivery, in subscription order.
 *
 * Handlers may subscribe, unsubscribe (themselves or others) and publish
 * while an event is being delivered. An event published from a handler
 * is queued and delivered once the current one has reached every
 * subscriber, so all consumers see events in seq order. Unsubscribing
 * during delivery only marks the subscription; it is freed when the
 * outermost publish returns. */
#include "core/event.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

/* A handler that publishes on every event would otherwise loop forever. */
#define EVBUS_MAX_QUEUED 256

struct event_sub {
	struct event_filter filter;
	event_handler fn;
	void *userdata;
	bool dead;
};

struct event_bus {
	struct event_sub **subs;
	size_t n_subs, cap_subs;
	unsigned depth;             /* nested publish calls */
	struct event *queue;        /* published from handlers, not yet delivered */
	size_t q_head, q_len;
	uint64_t seq;
};

int evbus_new(struct event_bus **out)
{
	struct event_bus *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->queue = calloc(EVBUS_MAX_QUEUED, sizeof(*b->queue));
	if (!b->queue) {
		free(b);
		return -ENOMEM;
	}
	*out = b;
	return 0;
}

void evbus_free(struct event_bus *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_subs; i++)
		free(b->subs[i]);
	free(b->subs);
	free(b->queue);
	free(b);
}

int evbus_subscribe(struct event_bus *b, const struct event_filter *f, event_handler fn,
		    void *userdata, struct event_sub **out)
{
	struct event_sub *s;

	if (!fn)
		return -EINVAL;
	if (b->n_subs == b->cap_subs) {
		size_t cap = b->cap_subs ? 2 * b->cap_subs : 8;
		struct event_sub **subs = realloc(b->subs, cap * sizeof(*subs));

		if (!subs)
			return -ENOMEM;
		b->subs = subs;
		b->cap_subs = cap;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (f)
		s->filter = *f;
	s->fn = fn;
	s->userdata = userdata;
	b->subs[b->n_subs++] = s;
	if (out)
		*out = s;
	return 0;
}

static void evbus_compact(struct event_bus *b)
{
	size_t kept = 0;

	for (size_t i = 0; i < b->n_subs; i++) {
		if (b->subs[i]->dead)
			free(b->subs[i]);
		else
			b->subs[kept++] = b->subs[i];
	}
	b->n_subs = kept;
}

void evbus_unsubscribe(struct event_bus *b, struct event_sub *s)
{
	if (!b || !s)
		return;
	s->dead = true;
	if (b->depth == 0)
		evbus_compact(b);
}

/* Subscriptions added by a handler start with the next event. */
static void evbus_deliver(struct event_bus *b, const struct event *e)
{
	size_t n = b->n_subs;

	for (size_t i = 0; i < n; i++) {
		struct event_sub *s = b->subs[i];

		if (!s->dead && event_filter_match(&s->filter, e))
			s->fn(e, s->userdata);
	}
}

static void evbus_enqueue(struct event_bus *b, const struct event *e)
{
	if (b->q_head + b->q_len >= EVBUS_MAX_QUEUED) {
		log_error("event bus: more than %d events published from handlers; dropping %s",
			  EVBUS_MAX_QUEUED, e->def->code);
		return;
	}
	b->queue[b->q_head + b->q_len++] = *e;
}

void evbus_publish(struct event_bus *b, struct event *e)
{
	if (!e->def)
		return;
	e->seq = ++b->seq;
	/* Producers may leave the time to the bus. */
	if (e->time.tv_sec == 0 && e->time.tv_nsec == 0)
		clock_gettime(CLOCK_REALTIME, &e->time);
	if (b->depth > 0) {
		evbus_enqueue(b, e);
		return;
	}
	b->depth++;
	evbus_deliver(b, e);
	while (b->q_len > 0) {
		struct event next = b->queue[b->q_head++];

		b->q_len--;
		evbus_deliver(b, &next);
	}
	b->q_head = 0;
	b->depth--;
	evbus_compact(b);
}

int evbus_emit(struct event_bus *b, const char *code, uint8_t unit, uint8_t module,
	       const char *detail_fmt, ...)
{
	struct event e = { .active = true, .unit = unit, .module = module };
	va_list ap;

	e.def = event_find(code);
	if (!e.def)
		return -ENOENT;
	if (detail_fmt) {
		va_start(ap, detail_fmt);
		vsnprintf(e.detail, sizeof(e.detail), detail_fmt, ap);
		va_end(ap);
	}
	evbus_publish(b, &e);
	return 0;
}
