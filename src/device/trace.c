#include "device/trace.h"

#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct trace {
	pthread_mutex_t lock;
	struct trace_entry *ring;   /* NULL before the first recording */
	size_t size;                /* capacity */
	bool recording;             /* false: stopped, the frames are kept */
	size_t head;                /* next slot to write */
	size_t count;
};

int trace_new(struct trace **out)
{
	struct trace *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	pthread_mutex_init(&t->lock, NULL);
	*out = t;
	return 0;
}

void trace_free(struct trace *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->ring);
	free(t);
}

int trace_set_size(struct trace *t, unsigned frames)
{
	struct trace_entry *ring, *old;

	/* Stopping keeps what was recorded: the manual's troubleshooting
	 * order is stop, then export. */
	if (frames == 0) {
		pthread_mutex_lock(&t->lock);
		t->recording = false;
		pthread_mutex_unlock(&t->lock);
		return 0;
	}
	if (frames > TRACE_MAX_FRAMES)
		frames = TRACE_MAX_FRAMES;
	ring = calloc(frames, sizeof(*ring));
	if (!ring)
		return -ENOMEM;
	/* A start is a new recording: keeping a partial history across a
	 * resize would reorder nothing useful. */
	pthread_mutex_lock(&t->lock);
	old = t->ring;
	t->ring = ring;
	t->size = frames;
	t->head = t->count = 0;
	t->recording = true;
	pthread_mutex_unlock(&t->lock);
	free(old);
	return 0;
}

unsigned trace_size(struct trace *t)
{
	unsigned n;

	pthread_mutex_lock(&t->lock);
	n = t->recording ? t->size : 0;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void trace_add(struct trace *t, enum trace_dir dir, const uint8_t *bytes, size_t len,
	       const char *note)
{
	struct trace_entry *e;

	if (!t)
		return;
	if (len > TRACE_FRAME_MAX)
		len = TRACE_FRAME_MAX;
	pthread_mutex_lock(&t->lock);
	if (!t->recording) {
		pthread_mutex_unlock(&t->lock);
		return;
	}
	e = &t->ring[t->head];
	clock_gettime(CLOCK_REALTIME, &e->when);
	e->dir = dir;
	e->len = len;
	if (len)
		memcpy(e->bytes, bytes, len);
	snprintf(e->note, sizeof(e->note), "%s", note ? note : "");
	t->head = (t->head + 1) % t->size;
	if (t->count < t->size)
		t->count++;
	pthread_mutex_unlock(&t->lock);
}

size_t trace_count(struct trace *t)
{
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = t->count;
	pthread_mutex_unlock(&t->lock);
	return n;
}

static size_t trace_index(const struct trace *t, size_t i)
{
	return (t->head + t->size - t->count + i) % t->size;
}

int trace_get(struct trace *t, size_t i, struct trace_entry *e)
{
	int r = -ENOENT;

	pthread_mutex_lock(&t->lock);
	if (i < t->count) {
		*e = t->ring[trace_index(t, i)];
		r = 0;
	}
	pthread_mutex_unlock(&t->lock);
	return r;
}

const char *trace_dir_name(enum trace_dir d)
{
	switch (d) {
	case TRACE_TX:
		return "tx";
	case TRACE_RX:
		return "rx";
	case TRACE_ERROR:
		return "error";
	}
	return "?";
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One CSV row; the note is ours (fixed strerror-like words), but commas
 * and quotes are still escaped so the file stays well-formed. */
static size_t trace_format(const struct trace_entry *e, char *buf, size_t size)
{
	struct tm tm;
	size_t n;

	gmtime_r(&e->when.tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	n += snprintf(buf + n, size - n, ".%06ldZ,%s,%u,", e->when.tv_nsec / 1000,
		      trace_dir_name(e->dir), e->len);
	for (size_t i = 0; i < e->len; i++)
		n += snprintf(buf + n, size - n, "%s%02x", i ? " " : "", e->bytes[i]);
	buf[n++] = ',';
	buf[n++] = '"';
	for (const char *c = e->note; *c && n < size - 4; c++) {
		if (*c == '"')
			buf[n++] = '"';
		buf[n++] = *c;
	}
	buf[n++] = '"';
	buf[n++] = '\n';
	return n;
}

int trace_csv(struct trace *t, int fd)
{
	static const char header[] = "time,direction,length,bytes,note\n";
	struct trace_entry *copy = NULL;
	size_t count;
	char row[64 + 3 * TRACE_FRAME_MAX + 2 * sizeof(copy->note)];
	int r;

	/* Copy under the lock, write without it: a slow reader must not
	 * stall the poller thread. */
	pthread_mutex_lock(&t->lock);
	count = t->count;
	if (count > 0) {
		copy = malloc(count * sizeof(*copy));
		if (!copy) {
			pthread_mutex_unlock(&t->lock);
			return -ENOMEM;
		}
		for (size_t i = 0; i < count; i++)
			copy[i] = t->ring[trace_index(t, i)];
	}
	pthread_mutex_unlock(&t->lock);

	r = write_all(fd, header, sizeof(header) - 1);
	for (size_t i = 0; r == 0 && i < count; i++) {
		size_t n = trace_format(&copy[i], row, sizeof(row));

		r = write_all(fd, row, n);
	}
	free(copy);
	return r;
}
