/* Local API commands about the device: status, alarms, the serial trace,
 * the logs, ping. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/json.h"
#include "control/control_logs.h"
#include "control/control_priv.h"
#include "control/control_text.h"
#include "core/snapjson.h"
#include "device/trace.h"

#define TRACE_DEFAULT_FRAMES 1000

static char *json_reply(struct json *j, size_t *len)
{
	char *r;

	if (json_failed(j)) {
		json_free(j);
		return NULL;
	}
	r = json_steal(j, len);
	if (r) {
		/* The reply is one line. */
		char *nl = realloc(r, *len + 2);

		if (!nl) {
			free(r);
			return NULL;
		}
		nl[(*len)++] = '\n';
		nl[*len] = '\0';
		r = nl;
	}
	return r;
}

char *ctl_status(struct ctl_request *rq, size_t *len)
{
	const struct snapshot *s = manager_latest(rq->m);
	struct json j;

	if (strcmp(rq->args, "text") == 0)
		return control_status_text(s, len);
	json_init(&j);
	if (s)
		snapjson_write(&j, NULL, s);
	else {
		json_obj_open(&j, NULL);
		json_str(&j, "comm", comm_state_name(COMM_STARTING));
		json_obj_close(&j);
	}
	return json_reply(&j, len);
}

char *ctl_alarms(struct ctl_request *rq, size_t *len)
{
	const struct snapshot *s = manager_latest(rq->m);
	struct json j;

	if (strcmp(rq->args, "text") == 0)
		return control_alarms_text(s, len);
	json_init(&j);
	if (s)
		snapjson_alarms(&j, NULL, s);
	else {
		json_arr_open(&j, NULL);
		json_arr_close(&j);
	}
	return json_reply(&j, len);
}

char *ctl_ping(struct ctl_request *rq, size_t *len)
{
	return ctl_printf(len, "pong\n");
}

/* The serial trace ring, on demand: "on [FRAMES]", "off", "csv". */
char *ctl_trace(struct ctl_request *rq, size_t *len)
{
	struct poller *p = rq->m->poller;
	const char *args = rq->args;
	char *buf = NULL;
	FILE *f;
	int fd;

	if (strncmp(args, "on", 2) == 0) {
		poller_trace_enable(p, args[2] ? (unsigned)strtoul(args + 3, NULL, 10) : TRACE_DEFAULT_FRAMES);
		return ctl_printf(len, "ok\n");
	}
	if (strcmp(args, "off") == 0) {
		poller_trace_enable(p, 0);
		return ctl_printf(len, "ok\n");
	}
	/* csv: the poller writes to an fd; collect it through a memfd. */
	fd = memfd_create("trace", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (poller_trace_csv(p, fd) < 0 || lseek(fd, 0, SEEK_SET) < 0 || !(f = fdopen(fd, "r"))) {
		close(fd);
		return NULL;
	}
	*len = 0;
	if (getdelim(&buf, len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	*len = buf ? strlen(buf) : 0;
	fclose(f);
	return buf;
}

char *ctl_logs(struct ctl_request *rq, size_t *len)
{
	return control_logs(rq->store, rq->args, len);
}

bool ctl_check_none(const char *args)
{
	return args[0] == '\0';
}

bool ctl_check_text(const char *args)
{
	return args[0] == '\0' || strcmp(args, "text") == 0;
}

bool ctl_check_trace(const char *args)
{
	char *end;
	unsigned long n;

	if (strcmp(args, "on") == 0 || strcmp(args, "off") == 0 || strcmp(args, "csv") == 0)
		return true;
	if (strncmp(args, "on ", 3) != 0 || !isdigit((unsigned char)args[3]))
		return false;
	n = strtoul(args + 3, &end, 10);
	return *end == '\0' && n >= 1 && n <= TRACE_MAX_FRAMES;
}
