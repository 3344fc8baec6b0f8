#include "common/listener.h"

#include <errno.h>
#include <string.h>

#include "common/log.h"

#define LISTENER_PAUSE_USEC 1000000

static int resume(sd_event_source *timer, uint64_t usec, void *userdata)
{
	sd_event_source *listener = userdata;

	sd_event_source_set_enabled(listener, SD_EVENT_ON);
	sd_event_source_unref(listener);
	return 0;
}

/* The timer is floating (owned by the loop) and holds a reference on the
 * listener's source until it fires or the loop is freed. */
static void pause_listener(sd_event_source *src, int err)
{
	sd_event *e = sd_event_source_get_event(src);

	log_warning("cannot accept a connection: %s; pausing the listener for 1 s", strerror(err));
	if (sd_event_add_time_relative(e, NULL, CLOCK_MONOTONIC, LISTENER_PAUSE_USEC, 0, resume,
				       sd_event_source_ref(src)) < 0) {
		sd_event_source_unref(src);
		return;
	}
	sd_event_source_set_enabled(src, SD_EVENT_OFF);
}

int listener_accept(sd_event_source *src, int lfd, struct sockaddr_storage *peer, socklen_t *len)
{
	int fd = accept4(lfd, (struct sockaddr *)peer, len, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
		int err = errno;

		pause_listener(src, err);
		return -err;
	}
	return -errno;
}
