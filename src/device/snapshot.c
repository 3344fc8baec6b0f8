/* Snapshot lifetime (atomic refcount) and the one-slot channel that hands
 * them from the poller thread to the main loop. */
#include "device/snapshot.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct snap_channel {
	int efd;
	pthread_mutex_t lock;        /* guards pending only */
	struct snapshot *pending;
};

static void level_init_values(struct level_data *l)
{
	for (size_t m = 0; m < _MEAS_COUNT; m++)
		l->meas[m] = NAN;
}

struct snapshot *snapshot_new(void)
{
	struct snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->refs = 1;
	s->comm = COMM_STARTING;
	s->id.nominal_kva = s->id.nominal_kw = NAN;
	s->id.nominal_vin = s->id.nominal_vout = NAN;
	s->id.nominal_fin = s->id.nominal_fout = NAN;
	s->id.battery_ah = NAN;
	s->stats.last_cycle_ms = NAN;
	for (size_t i = 0; i < MODEL_MAX_LEVELS; i++)
		level_init_values(&s->levels[i]);
	return s;
}

struct snapshot *snapshot_ref(struct snapshot *s)
{
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

void snapshot_unref(struct snapshot *s)
{
	if (!s)
		return;
	/* Release so our writes happen-before the free; acquire on the
	 * last drop so the free sees every other holder's writes. */
	if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(s);
}

struct snapshot *snapshot_dup(const struct snapshot *s)
{
	struct snapshot *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	memcpy(d, s, sizeof(*d));
	d->refs = 1;
	return d;
}

int snapchan_new(struct snap_channel **out)
{
	struct snap_channel *ch = calloc(1, sizeof(*ch));

	if (!ch)
		return -ENOMEM;
	ch->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ch->efd < 0) {
		int r = -errno;

		free(ch);
		return r;
	}
	pthread_mutex_init(&ch->lock, NULL);
	*out = ch;
	return 0;
}

void snapchan_free(struct snap_channel *ch)
{
	if (!ch)
		return;
	snapshot_unref(ch->pending);
	pthread_mutex_destroy(&ch->lock);
	close(ch->efd);
	free(ch);
}

int snapchan_fd(const struct snap_channel *ch)
{
	return ch->efd;
}

void snapchan_publish(struct snap_channel *ch, struct snapshot *s)
{
	struct snapshot *old;
	uint64_t one = 1;

	pthread_mutex_lock(&ch->lock);
	old = ch->pending;
	ch->pending = s;
	pthread_mutex_unlock(&ch->lock);
	snapshot_unref(old);
	/* Cannot fail short of a counter overflow (2^64 - 1 unread
	 * publications); EAGAIN then still leaves the fd readable. */
	if (write(ch->efd, &one, sizeof(one)) < 0) {
		/* nothing to do: the fd is readable either way */
	}
}

struct snapshot *snapchan_take(struct snap_channel *ch)
{
	struct snapshot *s;
	uint64_t n;

	/* Drain first: a publication racing with us re-arms the fd, so
	 * the loop is woken again rather than missing a snapshot. */
	if (read(ch->efd, &n, sizeof(n)) < 0) {
		/* EAGAIN: nothing signalled; the slot may still hold one */
	}
	pthread_mutex_lock(&ch->lock);
	s = ch->pending;
	ch->pending = NULL;
	pthread_mutex_unlock(&ch->lock);
	return s;
}

int snapshot_reg(const struct snapshot *s, uint8_t slave, uint32_t address, uint16_t *value)
{
	for (size_t i = 0; i < s->n_raw && i < MODEL_MAX_RAW_BLOCKS; i++) {
		const struct raw_block *b = &s->raw[i];

		if (b->slave != slave || address < b->address)
			continue;
		if (address - b->address >= b->count)
			continue;
		*value = b->regs[address - b->address];
		return 0;
	}
	return -ENOENT;
}
