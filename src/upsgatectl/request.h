/* upsgatectl's command line as one request of the local API. */
#pragma once

#include <stddef.h>

struct ctl_req {
	char line[1024];                /* the request line, with its '\n' */
	char *body;                     /* NULL, or what follows the line */
	size_t body_len;
	const char *save_to;            /* backup FILE: the reply goes there, 0600 */
};

/* 0; -EINVAL for a usage error; -EIO when a message was printed. */
int req_build(int argc, char **argv, struct ctl_req *rq);
/* Line and body as one string (a body never holds a NUL); malloc'd. */
char *req_text(const struct ctl_req *rq);
void req_clear(struct ctl_req *rq);     /* wipes the body (a password) */
