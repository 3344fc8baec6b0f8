/* "Send test trap" (§9.3): the SNMP agent offers it as the manager
 * action "snmp.test_trap"; the web never includes the SNMP service. */
#include "web/api.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RECEIVERS_MAX 8

static bool offered(const struct manager *m, const char *name)
{
	for (size_t i = 0; i < m->n_actions; i++)
		if (strcmp(m->actions[i].name, name) == 0)
			return true;
	return false;
}

void api_snmp_test_trap(struct web_request *r)
{
	struct manager *m = web_deps(r)->m;
	json_t *body = web_body_json(r), *receiver;
	char arg[16], reply[256] = "";
	int rc;

	if (!body)
		return;
	receiver = json_object_get(body, "receiver");
	if (!json_is_integer(receiver) || json_integer_value(receiver) < 1 ||
	    json_integer_value(receiver) > RECEIVERS_MAX) {
		web_reply_error(r, 400, "bad_request", "'receiver' must be a receiver number from 1 to %d",
				RECEIVERS_MAX);
		return;
	}
	if (!offered(m, "snmp.test_trap")) {
		web_reply_error(r, 503, "not_available", "the SNMP agent is not running");
		return;
	}
	snprintf(arg, sizeof(arg), "%lld", (long long)json_integer_value(receiver));
	rc = manager_action(m, "snmp.test_trap", arg, reply, sizeof(reply));
	if (rc < 0) {
		web_reply_error(r, 422, "trap_failed", "%s", reply[0] ? reply : strerror(-rc));
		return;
	}
	api_reply(r, 200, json_pack("{s:b,s:s}", "sent", 1, "message", reply));
}
