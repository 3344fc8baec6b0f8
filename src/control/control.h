/* The local API on a unix socket (upsgatectl): one request line, one
 * reply, then the server closes. Access is the socket's file mode
 * (root and the upsgate group). */
#pragma once

#include "auth/auth.h"
#include "core/manager.h"
#include "store/store.h"

struct control;

/* [auth] may be NULL: the account commands then say they are not available. */
int control_start(struct control **out, struct manager *m, struct store *store, struct auth *auth,
		  const char *path);
void control_stop(struct control *c);          /* accepts NULL */
