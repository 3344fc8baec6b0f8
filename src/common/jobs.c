/* Job pool: a mutex-protected queue of work in, a queue of finished jobs
 * out, and an eventfd that wakes the loop to run the [done] callbacks. */
#include "common/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/log.h"

#define JOBS_THREADS_MAX 8

struct job {
	struct job *next;
	job_work_fn work;
	job_done_fn done;
	void *arg;
};

struct job_queue {
	struct job *head, *tail;
	unsigned n;
};

struct jobs {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct job_queue todo, finished;
	bool stopping;
	pthread_t threads[JOBS_THREADS_MAX];
	unsigned n_threads;
	int efd;
	sd_event_source *source;
};

static void queue_push(struct job_queue *q, struct job *j)
{
	j->next = NULL;
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	q->n++;
}

static struct job *queue_pop(struct job_queue *q)
{
	struct job *j = q->head;

	if (!j)
		return NULL;
	q->head = j->next;
	if (!q->head)
		q->tail = NULL;
	q->n--;
	return j;
}

static void *worker(void *userdata)
{
	struct jobs *p = userdata;
	const uint64_t one = 1;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct job *j;

		while (!p->todo.head && !p->stopping)
			pthread_cond_wait(&p->wake, &p->lock);
		j = queue_pop(&p->todo);
		if (!j)
			break;
		pthread_mutex_unlock(&p->lock);
		j->work(j->arg);
		pthread_mutex_lock(&p->lock);
		queue_push(&p->finished, j);
		/* Cannot fail short of a counter overflow; the loop drains it. */
		(void)!write(p->efd, &one, sizeof(one));
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void run_finished(struct jobs *p)
{
	struct job_queue batch;

	pthread_mutex_lock(&p->lock);
	batch = p->finished;
	p->finished = (struct job_queue){ 0 };
	pthread_mutex_unlock(&p->lock);
	for (struct job *j = queue_pop(&batch); j; j = queue_pop(&batch)) {
		j->done(j->arg);
		free(j);
	}
}

static int on_finished(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	uint64_t count;

	(void)!read(fd, &count, sizeof(count));
	run_finished(userdata);
	return 0;
}

int jobs_new(struct jobs **out, sd_event *loop, unsigned threads)
{
	struct jobs *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return -ENOMEM;
	if (threads < 1 || threads > JOBS_THREADS_MAX)
		threads = 2;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->efd < 0) {
		r = -errno;
		goto fail;
	}
	r = sd_event_add_io(loop, &p->source, p->efd, EPOLLIN, on_finished, p);
	if (r < 0)
		goto fail;
	for (; p->n_threads < threads; p->n_threads++) {
		r = -pthread_create(&p->threads[p->n_threads], NULL, worker, p);
		if (r < 0)
			goto fail;
	}
	*out = p;
	return 0;
fail:
	log_error("cannot start the job pool: %s", strerror(-r));
	jobs_free(p);
	return r;
}

void jobs_free(struct jobs *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	/* Workers finish the queue before they see [stopping]. */
	for (unsigned i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
	run_finished(p);
	sd_event_source_disable_unref(p->source);
	if (p->efd >= 0)
		close(p->efd);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

int jobs_submit(struct jobs *p, job_work_fn work, job_done_fn done, void *arg)
{
	struct job *j;

	pthread_mutex_lock(&p->lock);
	if (p->todo.n >= JOBS_QUEUE_MAX || p->stopping) {
		pthread_mutex_unlock(&p->lock);
		return -EAGAIN;
	}
	pthread_mutex_unlock(&p->lock);
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->work = work;
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&p->lock);
	queue_push(&p->todo, j);
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	return 0;
}
