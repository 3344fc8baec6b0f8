/* Snapshot lifetime and hand-over from the poller thread to the main loop.
 *
 * The poller builds a snapshot, publishes it, and never touches it again.
 * The main loop takes the latest one; readers that keep it take a ref.
 * The channel holds at most one pending snapshot: a newer one replaces
 * (and unrefs) an unread older one, so a slow loop never queues. */
#pragma once

#include "device/model.h"

struct snapshot *snapshot_new(void);             /* refs = 1, values NAN */
struct snapshot *snapshot_ref(struct snapshot *s);
void snapshot_unref(struct snapshot *s);         /* accepts NULL */
/* Copy everything but the refcount (the poller starts each cycle from
 * the previous snapshot). */
struct snapshot *snapshot_dup(const struct snapshot *s);

struct snap_channel;
int snapchan_new(struct snap_channel **out);     /* 0 or -errno */
void snapchan_free(struct snap_channel *ch);     /* accepts NULL */
int snapchan_fd(const struct snap_channel *ch);  /* eventfd, readable on publish */
void snapchan_publish(struct snap_channel *ch, struct snapshot *s); /* takes ownership */
struct snapshot *snapchan_take(struct snap_channel *ch);  /* caller owns; NULL if none */

/* Look up a register of the level at [offset] in the raw blocks. */
int snapshot_reg(const struct snapshot *s, uint8_t slave, uint32_t address, uint16_t *value);
