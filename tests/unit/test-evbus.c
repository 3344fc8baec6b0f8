/* The event catalogue's lookups, the filters and the bus: delivery
 * order, filters by severity / code / group, cleared events, and
 * (un)subscribing or publishing from inside a handler. */
#include <errno.h>

#include "core/event.h"
#include "maps-test.h"

#define MAX_SEEN 32

struct seen {
	struct event_bus *bus;
	int n;
	uint64_t seq[MAX_SEEN];
	char code[MAX_SEEN][32];
	bool active[MAX_SEEN];
	char detail[MAX_SEEN][160];
	int *order;                 /* shared across subscribers */
	int *n_order;
	int id;
	struct event_sub *victim;   /* unsubscribed by this handler */
	const char *republish;      /* emitted by this handler, once */
};

static void record(const struct event *e, void *userdata)
{
	struct seen *s = userdata;

	if (s->n < MAX_SEEN) {
		s->seq[s->n] = e->seq;
		snprintf(s->code[s->n], sizeof(s->code[0]), "%s", e->def->code);
		s->active[s->n] = e->active;
		snprintf(s->detail[s->n], sizeof(s->detail[0]), "%s", e->detail);
		s->n++;
	}
	if (s->order)
		s->order[(*s->n_order)++] = s->id;
	if (s->victim) {
		evbus_unsubscribe(s->bus, s->victim);
		s->victim = NULL;
	}
	if (s->republish) {
		const char *code = s->republish;

		s->republish = NULL;
		evbus_emit(s->bus, code, 0, 0, "from a handler");
	}
}

static void publish(struct event_bus *b, const char *code, bool active)
{
	struct event e = { .def = event_find(code), .active = active };

	evbus_publish(b, &e);
}

static void case_catalogue(struct tap *t)
{
	bool sorted = true, levels = true, lengths = true, found = true;

	CHECK(t, event_catalogue_size > 200, "catalogue has %zu rows", event_catalogue_size);
	for (size_t i = 0; i < event_catalogue_size; i++) {
		const struct event_def *d = &event_catalogue[i];

		if (i > 0 && strcmp(event_catalogue[i - 1].code, d->code) >= 0)
			sorted = false;
		if (d->level == LEVEL_NONE || d->level > LEVEL_CRITICAL)
			levels = false;
		if (strlen(d->code) >= sizeof(((struct active_event *)0)->code))
			lengths = false;
		if (event_find(d->code) != d)
			found = false;
	}
	CHECK(t, sorted, "catalogue sorted by code, no duplicates");
	CHECK(t, levels, "every event has a level");
	CHECK(t, lengths, "every code fits struct active_event");
	CHECK(t, found, "event_find finds every row");
	CHECK(t, event_find("gw.nope") == NULL, "unknown code: NULL");
	CHECK(t, event_find("") == NULL && event_find(NULL) == NULL, "empty / NULL code: NULL");
	CHECK(t, event_find("aaa") == NULL && event_find("zzz") == NULL, "before / after the table");
	CHECK_STR(t, event_group_name(EVG_STS), "STS", "group name");
	CHECK_STR(t, event_group_name(_EVG_COUNT), "unknown", "group name out of range");
	CHECK_INT(t, event_find("gw.comm_lost")->level, LEVEL_CRITICAL, "comm lost: trap 14 level");
	CHECK_INT(t, event_find("gw.comm_lost")->trap, 14, "comm lost: trap 14");
	CHECK_INT(t, event_find("vumap.A019")->rfc1628, 2, "on battery: RFC1628 .2");
	CHECK_INT(t, event_find("jbusp.S05")->wellknown, 15, "on battery: well-known 3.15");
	CHECK_INT(t, event_find("ups.status.load_off")->level, LEVEL_CRITICAL, "load off critical");
}

static void case_order_and_filters(struct tap *t)
{
	struct event_bus *b;
	int order[16], n_order = 0;
	struct seen all = { .order = order, .n_order = &n_order, .id = 1 };
	struct seen warn = { .order = order, .n_order = &n_order, .id = 2 };
	struct seen codes = { 0 }, gw = { 0 }, cleared = { 0 };
	const char *const list[] = { "vumap.A001", "gw.cold_boot", NULL };
	struct event_filter f_all = { .include_cleared = true };
	struct event_filter f_warn = { .min_level = LEVEL_WARNING };
	struct event_filter f_codes = { .codes = list, .include_cleared = true };
	struct event_filter f_gw = { .groups = 1u << EVG_GATEWAY | 1u << EVG_SERVICE };
	struct event_filter f_cleared = { .min_level = LEVEL_CRITICAL, .include_cleared = true };

	CHECK_INT(t, evbus_new(&b), 0, "evbus_new");
	evbus_subscribe(b, &f_all, record, &all, NULL);
	evbus_subscribe(b, &f_warn, record, &warn, NULL);
	evbus_subscribe(b, &f_codes, record, &codes, NULL);
	evbus_subscribe(b, &f_gw, record, &gw, NULL);
	evbus_subscribe(b, &f_cleared, record, &cleared, NULL);

	publish(b, "gw.cold_boot", true);           /* info, gateway */
	publish(b, "vumap.A001", true);             /* warning, UPS */
	publish(b, "vumap.A000", true);             /* critical */
	publish(b, "vumap.A000", false);            /* critical, cleared */
	CHECK_INT(t, evbus_emit(b, "gw.config_changed", 0, 0, "%s via %s by %s", "serial.baud",
				"web", "admin from 192.0.2.7"), 0, "emit");
	CHECK_INT(t, evbus_emit(b, "gw.no_such", 0, 0, NULL), -ENOENT, "emit unknown code");

	CHECK_INT(t, all.n, 5, "no filter: every event");
	CHECK(t, all.seq[0] == 1 && all.seq[4] == 5, "seq 1..5 (got %llu..%llu)",
	      (unsigned long long)all.seq[0], (unsigned long long)all.seq[4]);
	CHECK_STR(t, all.detail[4], "serial.baud via web by admin from 192.0.2.7", "emit detail");
	CHECK_INT(t, warn.n, 2, "min warning: warning and critical raised only");
	CHECK(t, warn.n == 2 && !strcmp(warn.code[0], "vumap.A001") && !strcmp(warn.code[1], "vumap.A000"),
	      "min warning: the right two");
	CHECK_INT(t, codes.n, 2, "code list");
	CHECK_INT(t, gw.n, 2, "groups gateway+service: cold boot and config change");
	CHECK_INT(t, cleared.n, 2, "critical incl. cleared: raised and cleared");
	CHECK(t, cleared.n == 2 && cleared.active[0] && !cleared.active[1], "raised then cleared");
	CHECK(t, n_order >= 3 && order[1] == 1 && order[2] == 2, "delivery in subscription order");
	evbus_free(b);
}

static void case_unsubscribe_in_handler(struct tap *t)
{
	struct event_bus *b;
	struct seen first = { 0 }, second = { 0 }, third = { 0 };
	struct event_sub *sub2, *sub3;

	evbus_new(&b);
	first.bus = second.bus = third.bus = b;
	evbus_subscribe(b, NULL, record, &first, NULL);
	evbus_subscribe(b, NULL, record, &second, &sub2);
	evbus_subscribe(b, NULL, record, &third, &sub3);
	first.victim = sub3;        /* unsubscribe a later one */
	second.victim = sub2;       /* unsubscribe itself */
	publish(b, "gw.cold_boot", true);
	CHECK_INT(t, first.n, 1, "first called");
	CHECK_INT(t, second.n, 1, "second called, then unsubscribed itself");
	CHECK_INT(t, third.n, 0, "third unsubscribed before its turn: not called");
	publish(b, "gw.warm_boot", true);
	CHECK_INT(t, first.n, 2, "first still subscribed");
	CHECK_INT(t, second.n + third.n, 1, "the others are gone");
	evbus_unsubscribe(b, NULL);
	evbus_free(b);
	evbus_free(NULL);
}

static void case_publish_in_handler(struct tap *t)
{
	struct event_bus *b;
	struct seen first = { 0 }, second = { 0 }, late = { 0 };

	evbus_new(&b);
	first.bus = second.bus = b;
	first.republish = "gw.warm_boot";
	evbus_subscribe(b, NULL, record, &first, NULL);
	evbus_subscribe(b, NULL, record, &second, NULL);
	publish(b, "gw.cold_boot", true);
	CHECK_INT(t, second.n, 2, "second sees both events");
	CHECK(t, second.n == 2 && !strcmp(second.code[0], "gw.cold_boot") &&
	      !strcmp(second.code[1], "gw.warm_boot"), "in publication order");
	CHECK(t, second.seq[0] < second.seq[1], "seq increases");
	CHECK_INT(t, first.n, 2, "the publisher sees its own event after the first");
	evbus_subscribe(b, NULL, record, &late, NULL);
	publish(b, "gw.link_up", true);
	CHECK_INT(t, late.n, 1, "a later subscriber gets later events");
	evbus_free(b);
}

int main(void)
{
	struct tap t = { 0 };

	case_catalogue(&t);
	case_order_and_filters(&t);
	case_unsubscribe_in_handler(&t);
	case_publish_in_handler(&t);
	return tap_done(&t);
}
