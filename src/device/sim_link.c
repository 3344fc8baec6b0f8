/* The simulator's serial line (see sim_link.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "device/sim_link.h"

static const struct { unsigned baud; speed_t speed; } speeds[] = {
	{ 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 },
	{ 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 }, { 115200, B115200 },
};

speed_t sim_link_speed(unsigned baud)
{
	for (size_t i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (speeds[i].baud == baud)
			return speeds[i].speed;
	return 0;
}

int sim_link_symlink(const char *target, const char *path)
{
	char tmp[4096];

	if (snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	(void)unlink(tmp);
	if (symlink(target, tmp) < 0)
		return -errno;
	if (rename(tmp, path) < 0) {
		int r = -errno;
		(void)unlink(tmp);
		return r;
	}
	return 0;
}

static int set_raw(int fd, unsigned baud)
{
	struct termios t;
	speed_t sp = sim_link_speed(baud);

	if (!sp)
		return -EINVAL;
	if (tcgetattr(fd, &t) < 0)
		return -errno;
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	cfsetispeed(&t, sp);
	cfsetospeed(&t, sp);
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		return -errno;
	return 0;
}

static int open_pty(struct sim_link *l)
{
	const char *name;
	int r;

	l->fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (l->fd < 0)
		return -errno;
	if (grantpt(l->fd) < 0 || unlockpt(l->fd) < 0 || !(name = ptsname(l->fd)))
		return -errno;
	if (snprintf(l->pty, sizeof(l->pty), "%s", name) >= (int)sizeof(l->pty))
		return -ENAMETOOLONG;
	l->hold = open(l->pty, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (l->hold < 0)
		return -errno;
	r = set_raw(l->hold, l->baud);
	if (r < 0)
		return r;
	if (fcntl(l->fd, F_SETFL, O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

static int open_device(struct sim_link *l)
{
	int r;

	l->fd = open(l->device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (l->fd < 0)
		return -errno;
	r = set_raw(l->fd, l->baud);
	if (r < 0)
		return r;
	l->pty[0] = '\0';
	return 0;
}

int sim_link_open(struct sim_link *l, const char *link, const char *device, unsigned baud)
{
	int r;

	l->fd = l->hold = -1;
	l->pty[0] = '\0';
	l->link = link;
	l->device = device;
	l->baud = baud;
	r = device ? open_device(l) : open_pty(l);
	if (r < 0) {
		log_error("sim: cannot open %s: %s", device ? device : "a pty", strerror(-r));
		goto fail;
	}
	if (link) {
		r = sim_link_symlink(device ? device : l->pty, link);
		if (r < 0) {
			log_error("sim: cannot point %s at %s: %s", link, device ? device : l->pty,
				  strerror(-r));
			goto fail;
		}
	}
	return 0;
fail:
	sim_link_close(l, false);
	return r;
}

void sim_link_close(struct sim_link *l, bool remove_link)
{
	if (l->fd >= 0)
		close(l->fd);
	if (l->hold >= 0)
		close(l->hold);
	l->fd = l->hold = -1;
	if (remove_link && l->link)
		(void)unlink(l->link);
}

int sim_link_speed_matches(const struct sim_link *l)
{
	struct termios t;

	if (l->fd < 0 || l->device)
		return -ENOTTY;
	if (tcgetattr(l->fd, &t) < 0)
		return -errno;
	return cfgetospeed(&t) == sim_link_speed(l->baud);
}
