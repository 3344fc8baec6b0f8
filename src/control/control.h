/* The local API on a unix socket (upsgatectl): one request line, one
 * reply, then the server closes. Access is the socket's file mode
 * (root and the upsgate group). */
#pragma once

#include "core/manager.h"
#include "store/store.h"

struct control;

int control_start(struct control **out, struct manager *m, struct store *store, const char *path);
void control_stop(struct control *c);          /* accepts NULL */
