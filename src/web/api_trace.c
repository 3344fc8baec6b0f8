/* The serial trace for the debug page (admin only), as upsgatectl's
 * `trace on|off|csv` does it: the poller's ring, switched on and off on
 * demand, read as CSV (the poller writes it to an fd) or as JSON. */
#include "web/api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "device/trace.h"

#define TRACE_DEFAULT_FRAMES 1000

static struct poller *poller_of(struct web_request *r)
{
	struct poller *p = web_deps(r)->m->poller;

	if (!p)
		web_reply_error(r, 503, "not_available", "the poller is not running");
	return p;
}

/* The ring as CSV text (malloc'd, NUL-terminated), or NULL. */
static char *trace_text(struct poller *p, size_t *len)
{
	int fd = memfd_create("api-trace", MFD_CLOEXEC);
	struct stat sb;
	char *text = NULL;

	if (fd < 0)
		return NULL;
	if (poller_trace_csv(p, fd) == 0 && fstat(fd, &sb) == 0 && (text = malloc((size_t)sb.st_size + 1))) {
		if (pread(fd, text, (size_t)sb.st_size, 0) == sb.st_size) {
			text[sb.st_size] = '\0';
			*len = (size_t)sb.st_size;
		} else {
			free(text);
			text = NULL;
		}
	}
	close(fd);
	return text;
}

/* One CSV row of trace.c: four plain fields and a quoted note. */
static json_t *frame_json(char *line)
{
	char *field[4], *note, *out;

	for (int i = 0; i < 4; i++) {
		char *comma = strchr(line, ',');

		if (!comma)
			return NULL;
		*comma = '\0';
		field[i] = line;
		line = comma + 1;
	}
	note = line;
	if (*note == '"') {
		note++;
		out = note;
		for (char *c = note; *c; c++) {
			if (*c == '"' && c[1] == '"')
				c++;
			else if (*c == '"')
				break;
			*out++ = *c;
		}
		*out = '\0';
	}
	return json_pack("{s:s,s:s,s:i,s:s,s:s}", "time", field[0], "direction", field[1],
			 "length", atoi(field[2]), "bytes", field[3], "note", note);
}

void api_trace_get(struct web_request *r)
{
	struct poller *p = poller_of(r);
	json_t *frames;
	char *text, *save = NULL;
	size_t len;

	if (!p)
		return;
	if (!(text = trace_text(p, &len)) || !(frames = json_array())) {
		free(text);
		web_reply_error(r, 500, "internal", "the trace could not be read");
		return;
	}
	/* The first line is the CSV header. */
	strtok_r(text, "\n", &save);
	for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *f = frame_json(line);

		if (f)
			json_array_append_new(frames, f);
	}
	free(text);
	api_reply(r, 200, json_pack("{s:b,s:I,s:i,s:o}", "enabled", poller_trace_frames(p) > 0,
				    "size", (json_int_t)poller_trace_frames(p),
				    "count", (int)json_array_size(frames), "frames", frames));
}

void api_trace_post(struct web_request *r)
{
	struct poller *p = poller_of(r);
	json_t *body, *enabled, *frames;
	json_int_t n = TRACE_DEFAULT_FRAMES;

	if (!p || !(body = web_body_json(r)))
		return;
	enabled = json_object_get(body, "enabled");
	frames = json_object_get(body, "frames");
	if (!json_is_boolean(enabled)) {
		web_reply_error(r, 400, "bad_request", "'enabled' must be true or false");
		return;
	}
	if (frames && (!json_is_integer(frames) || json_integer_value(frames) < 1 ||
		       json_integer_value(frames) > TRACE_MAX_FRAMES)) {
		web_reply_error(r, 400, "bad_request", "'frames' must be a number from 1 to %d",
				TRACE_MAX_FRAMES);
		return;
	}
	if (frames)
		n = json_integer_value(frames);
	if (!json_is_true(enabled))
		n = 0;
	poller_trace_enable(p, (unsigned)n);
	log_notice("serial trace %s via web by %s", n ? "on" : "off", web_who(r));
	api_reply(r, 200, json_pack("{s:b,s:I}", "enabled", n > 0, "frames", n));
}

void api_trace_csv(struct web_request *r)
{
	struct poller *p = poller_of(r);
	size_t len;
	char *text;

	if (!p)
		return;
	if (!(text = trace_text(p, &len))) {
		web_reply_error(r, 500, "internal", "the trace could not be read");
		return;
	}
	web_reply_data(r, 200, "text/csv; charset=utf-8", text, len, "upsgate-trace.csv");
}
