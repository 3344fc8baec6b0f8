/* snmp.receivers as typed receivers. The settings loader has already
 * checked every field against the schema; this only converts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "snmp/trap_priv.h"

static int choice(const char *v, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	return 0;
}

size_t trap_receivers_load(const struct settings *s, struct trap_receiver *out, size_t max)
{
	static const char *const types[] = { "none", "rfc1628", "netvision" };
	static const char *const versions[] = { "v1", "v2c", "v3" };
	static const char *const filters[] = { "none", "severity", "events" };
	static const char *const levels[] = { "", "information", "warning", "critical" };
	const struct setting_list *list = settings_list(s, SET_SNMP_RECEIVERS);
	size_t n = 0;

	for (size_t i = 0; list && i < list->n && n < max; i++) {
		struct trap_receiver *r = &out[n++];
#define FIELD(f) settings_item(s, SET_SNMP_RECEIVERS, i, TRAP_FIELD_##f)

		memset(r, 0, sizeof(*r));
		r->index = (unsigned)i + 1;
		snprintf(r->address, sizeof(r->address), "%s", FIELD(ADDRESS)->s);
		snprintf(r->community, sizeof(r->community), "%s", FIELD(COMMUNITY)->s);
		snprintf(r->user, sizeof(r->user), "%s", FIELD(USER)->s);
		r->port = (unsigned)FIELD(PORT)->i;
		r->type = (enum trap_type)choice(FIELD(TYPE)->s, types, 3);
		r->version = (enum trap_version)choice(FIELD(VERSION)->s, versions, 3);
		r->inform = FIELD(INFORM)->b;
		r->filter = (enum trap_filter)choice(FIELD(FILTER)->s, filters, 3);
		r->severity = (enum level)choice(FIELD(SEVERITY)->s, levels, 4);
		if (event_traps_parse(FIELD(EVENTS)->s, &r->events) < 0)
			r->events = 0;
#undef FIELD
	}
	return n;
}
