/* net-snmp in the sd-event loop: one io source per socket net-snmp wants
 * watched and one timer for its retransmissions and alarms. After every
 * piece of net-snmp work the set is asked again (snmp_select_info2), so
 * sessions that come and go (informs, closed transports) are followed. */
#include "snmp/agent_priv.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>

#include "common/log.h"

static int on_fd(sd_event_source *src, int fd, uint32_t revents, void *userdata);

/* Reads the one datagram waiting on [fd]: net-snmp parses it, calls our
 * hooks and handlers, and answers. */
static void read_fd(struct snmp_agent *a, int fd)
{
	netsnmp_large_fd_set set;

	netsnmp_large_fd_set_init(&set, fd + 1);
	NETSNMP_LARGE_FD_SET(fd, &set);
	a->peer_len = 0;
	snmp_read2(&set);
	netsnmp_large_fd_set_cleanup(&set);
	agent_access_account(a);
	netsnmp_check_outstanding_agent_requests();
}

static int on_fd(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct snmp_agent *a = userdata;

	read_fd(a, fd);
	snmp_store_if_needed();
	agent_io_refresh(a);
	return 0;
}

static int on_timer(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct snmp_agent *a = userdata;

	snmp_timeout();
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
	agent_io_refresh(a);
	return 0;
}

static bool fd_wanted(netsnmp_large_fd_set *set, int maxfd, int fd)
{
	return fd < maxfd && NETSNMP_LARGE_FD_ISSET(fd, set);
}

static void sync_fds(struct snmp_agent *a, netsnmp_large_fd_set *set, int maxfd)
{
	size_t k = 0;

	for (size_t i = 0; i < a->n_fds; i++) {
		if (fd_wanted(set, maxfd, a->fds[i].fd))
			a->fds[k++] = a->fds[i];
		else
			sd_event_source_disable_unref(a->fds[i].source);
	}
	a->n_fds = k;
	for (int fd = 0; fd < maxfd; fd++) {
		bool known = false;
		sd_event_source *src = NULL;

		if (!NETSNMP_LARGE_FD_ISSET(fd, set))
			continue;
		for (size_t i = 0; i < a->n_fds && !known; i++)
			known = a->fds[i].fd == fd;
		if (known)
			continue;
		if (a->n_fds == AGENT_MAX_FDS) {
			log_error("snmp: more than %d net-snmp sockets; fd %d not watched",
				  AGENT_MAX_FDS, fd);
			continue;
		}
		if (sd_event_add_io(a->m->event, &src, fd, EPOLLIN, on_fd, a) < 0) {
			log_error("snmp: cannot watch net-snmp socket %d", fd);
			continue;
		}
		a->fds[a->n_fds++] = (struct agent_fd){ .fd = fd, .source = src };
	}
}

void agent_io_refresh(struct snmp_agent *a)
{
	netsnmp_large_fd_set set;
	struct timeval tv = { 0, 0 };
	int maxfd = 0, block = 1;

	if (!a->timer)
		return;
	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	snmp_select_info2(&maxfd, &set, &tv, &block);
	sync_fds(a, &set, maxfd);
	netsnmp_large_fd_set_cleanup(&set);
	if (block) {
		sd_event_source_set_enabled(a->timer, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time_relative(a->timer,
		(uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec);
	sd_event_source_set_enabled(a->timer, SD_EVENT_ONESHOT);
}

void agent_io_forget(struct snmp_agent *a, int fd)
{
	for (size_t i = 0; fd >= 0 && i < a->n_fds; i++)
		if (a->fds[i].fd == fd) {
			sd_event_source_disable_unref(a->fds[i].source);
			a->fds[i] = a->fds[--a->n_fds];
			return;
		}
}

int agent_io_start(struct snmp_agent *a)
{
	int r = sd_event_add_time_relative(a->m->event, &a->timer, CLOCK_MONOTONIC, 0, 0,
					   on_timer, a);

	if (r < 0) {
		log_error("snmp: cannot create the timer: %s", strerror(-r));
		return r;
	}
	sd_event_source_set_enabled(a->timer, SD_EVENT_OFF);
	agent_io_refresh(a);
	return 0;
}

void agent_io_stop(struct snmp_agent *a)
{
	for (size_t i = 0; i < a->n_fds; i++)
		sd_event_source_disable_unref(a->fds[i].source);
	a->n_fds = 0;
	a->timer = sd_event_source_disable_unref(a->timer);
}
