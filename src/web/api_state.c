/* The API's memory while the server runs: the acknowledged alarms and
 * the language list. Apart from the route table (api.c), so that the
 * server links without the handlers (tests/unit/test-http). */
#include "web/api.h"

#include <errno.h>
#include <stdlib.h>

int api_state_new(struct api_state **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void api_state_free(struct api_state *s)
{
	free(s);
}

void api_state_snapshot(struct api_state *s, const struct snapshot *snap)
{
	ack_update(&s->acks, snap);
}
