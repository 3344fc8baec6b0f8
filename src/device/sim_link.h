/* The simulator's end of the serial line: a pty whose slave side is
 * published through a symlink (replaced atomically), or a real serial
 * port. */
#pragma once

#include <stdbool.h>
#include <termios.h>

struct sim_link {
	int fd;                     /* pty master or serial port; -1 when unplugged */
	int hold;                   /* our own slave fd: keeps the master from hanging up */
	char pty[64];               /* slave path, "" for a serial port */
	const char *link;           /* symlink path or NULL (not owned) */
	const char *device;         /* serial port or NULL (not owned) */
	unsigned baud;
};

/* Baud rate to termios speed; 0 if unsupported. */
speed_t sim_link_speed(unsigned baud);

/* Opens a new pty (or the serial port) and points link at it. 0 or -errno. */
int sim_link_open(struct sim_link *l, const char *link, const char *device, unsigned baud);
/* Closes the line; with remove_link, also removes the symlink. Accepts a
 * closed link. */
void sim_link_close(struct sim_link *l, bool remove_link);
/* 1 if the other end's line speed is ours, 0 if not, -errno if unknown
 * (Linux shares one termios between a pty's master and slave). */
int sim_link_speed_matches(const struct sim_link *l);
/* Points path at target atomically (symlink to a temporary name, rename). */
int sim_link_symlink(const char *target, const char *path);
