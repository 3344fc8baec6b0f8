/* accept4() for a listening socket watched by sd-event. When the process
 * is out of file descriptors or memory, the pending connection cannot be
 * taken and epoll would report it again at once, forever: the listener
 * is paused for a second instead. Returns the new fd or -errno. */
#pragma once

#include <sys/socket.h>
#include <systemd/sd-event.h>

int listener_accept(sd_event_source *src, int lfd, struct sockaddr_storage *peer, socklen_t *len);
