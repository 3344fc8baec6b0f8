/* Serial trace ring: disabled by default, capped, wraps oldest first,
 * CSV with a header row and one row per frame. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device/trace.h"

#include "check.h"

static char *csv_of(struct trace *t)
{
	char path[] = "/tmp/test-trace-XXXXXX";
	int fd = mkstemp(path);
	char *buf = calloc(1, 1 << 20);
	ssize_t n;

	unlink(path);
	CHECK(fd >= 0 && buf, "temp file");
	CHECK(trace_csv(t, fd) == 0, "csv export");
	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, (1 << 20) - 1);
	CHECK(n >= 0, "read back");
	close(fd);
	return buf;
}

static size_t lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int main(void)
{
	static const uint8_t req[8] = { 0x01, 0x03, 0x10, 0x00, 0x00, 0x0C, 0x40, 0xCF };
	struct trace *t = NULL;
	struct trace_entry e;
	uint8_t big[300];
	char *csv;

	CHECK(trace_new(&t) == 0 && t, "trace created");
	trace_add(t, TRACE_TX, req, sizeof(req), NULL);
	CHECK(trace_count(t) == 0, "disabled trace records nothing");

	CHECK(trace_set_size(t, 3) == 0 && trace_size(t) == 3, "enabled with 3 frames");
	for (uint8_t i = 0; i < 5; i++) {
		uint8_t f[2] = { 0xA0, i };

		trace_add(t, i % 2 ? TRACE_RX : TRACE_TX, f, 2, NULL);
	}
	CHECK(trace_count(t) == 3, "ring capped at 3 (%zu)", trace_count(t));
	CHECK(trace_get(t, 0, &e) == 0 && e.bytes[1] == 2, "oldest kept is the third added");
	CHECK(trace_get(t, 2, &e) == 0 && e.bytes[1] == 4 && e.dir == TRACE_TX, "newest last");
	CHECK(trace_get(t, 3, &e) == -ENOENT, "past the end");
	CHECK(e.when.tv_sec > 1600000000, "CLOCK_REALTIME timestamp");

	memset(big, 0x55, sizeof(big));
	trace_add(t, TRACE_RX, big, sizeof(big), NULL);
	CHECK(trace_get(t, 2, &e) == 0 && e.len == TRACE_FRAME_MAX, "frame capped at 256 bytes");
	trace_add(t, TRACE_ERROR, NULL, 0, "crc error: \"bad\", twice");

	csv = csv_of(t);
	CHECK(strncmp(csv, "time,direction,length,bytes,note\n", 33) == 0, "CSV header: %.40s", csv);
	CHECK(lines(csv) == 4, "header + 3 rows (%zu lines)", lines(csv));
	CHECK(strstr(csv, "Z,error,0,,\"crc error: \"\"bad\"\", twice\"\n") != NULL,
	      "error row quoted: %s", csv);
	CHECK(strstr(csv, ",rx,256,55 55 55") != NULL, "hex bytes");
	free(csv);

	trace_set_size(t, 1);
	trace_add(t, TRACE_TX, req, sizeof(req), NULL);
	csv = csv_of(t);
	CHECK(strstr(csv, ",tx,8,01 03 10 00 00 0c 40 cf,\"\"\n") != NULL, "request row: %s", csv);
	CHECK(csv[33 + 4] == '-' && csv[33 + 10] == 'T', "ISO 8601 time: %s", csv);
	free(csv);

	CHECK(trace_set_size(t, TRACE_MAX_FRAMES + 5) == 0 && trace_size(t) == TRACE_MAX_FRAMES,
	      "size capped at %d", TRACE_MAX_FRAMES);
	trace_add(t, TRACE_TX, req, sizeof(req), NULL);
	CHECK(trace_set_size(t, 0) == 0 && trace_size(t) == 0, "stopped");
	CHECK(trace_count(t) == 1, "stopping keeps the frames (%zu)", trace_count(t));
	trace_add(t, TRACE_TX, req, sizeof(req), NULL);
	CHECK(trace_count(t) == 1, "a stopped trace records nothing");
	CHECK(trace_set_size(t, 2) == 0 && trace_count(t) == 0, "a new start begins empty");
	trace_free(t);
	trace_free(NULL);
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("ok trace\n");
	return 0;
}
