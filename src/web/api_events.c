/* GET /events: the Server-Sent Events stream of snapshots and events
 * that live pages follow; the server (http.c) runs the stream. */
#include "web/api.h"

void api_events(struct web_request *r)
{
	web_reply_sse(r);
}
