/* The event catalogue's lookups and the consumers' filters. The table
 * itself is generated (tab_events.c, sorted by code). */
#include "core/event.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int def_cmp(const void *key, const void *member)
{
	return strcmp(key, ((const struct event_def *)member)->code);
}

const struct event_def *event_find(const char *code)
{
	if (!code)
		return NULL;
	return bsearch(code, event_catalogue, event_catalogue_size, sizeof(event_catalogue[0]),
		       def_cmp);
}

const char *event_group_name(enum event_group g)
{
	static const char *const names[_EVG_COUNT] = {
		[EVG_UPS] = "UPS",
		[EVG_STS] = "STS",
		[EVG_GATEWAY] = "gateway",
		[EVG_SERVICE] = "service",
		[EVG_EMD] = "EMD",
	};

	if ((unsigned)g >= _EVG_COUNT)
		return "unknown";
	return names[g];
}

static bool code_listed(const char *const *codes, const char *code)
{
	for (size_t i = 0; codes[i]; i++)
		if (strcmp(codes[i], code) == 0)
			return true;
	return false;
}

bool event_filter_match(const struct event_filter *f, const struct event *e)
{
	if (!e->def)
		return false;
	if (!f)
		return true;
	if (!e->active && !f->include_cleared)
		return false;
	if (e->def->level < f->min_level)
		return false;
	if (f->groups && !(f->groups & (UINT32_C(1) << e->def->group)))
		return false;
	if (f->codes && !code_listed(f->codes, e->def->code))
		return false;
	return true;
}

int event_level_parse(const char *v, enum level *out)
{
	for (int l = LEVEL_INFO; l <= LEVEL_CRITICAL; l++)
		if (strcmp(v, level_name((enum level)l)) == 0) {
			*out = (enum level)l;
			return 0;
		}
	return -EINVAL;
}

int event_groups_parse(const char *v, uint32_t *groups)
{
	char buf[128], *save = NULL;

	if (strlen(v) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, v);
	*groups = 0;
	for (char *g = strtok_r(buf, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
		int found = -1;

		for (int i = 0; i < _EVG_COUNT; i++)
			if (strcasecmp(g, event_group_name((enum event_group)i)) == 0)
				found = i;
		if (found < 0)
			return -EINVAL;
		*groups |= 1u << found;
	}
	return *groups ? 0 : -EINVAL;
}
