/* The job pool: a few threads for blocking work (password hashing,
 * RADIUS, DNS, SMTP...) so the main loop never waits. [work] runs on a
 * pool thread and must not touch loop state; [done] runs afterwards on
 * the main loop, in the order the work finished. [arg] belongs to the
 * caller, who frees it in [done]. */
#pragma once

#include <systemd/sd-event.h>

struct jobs;

typedef void (*job_work_fn)(void *arg);
typedef void (*job_done_fn)(void *arg);

int jobs_new(struct jobs **out, sd_event *loop, unsigned threads);
/* Waits for running work; [done] is still called for every job that
 * was submitted, so that callers free what they own. Accepts NULL. */
void jobs_free(struct jobs *j);
/* 0, or -EAGAIN when the queue is full (JOBS_QUEUE_MAX waiting jobs). */
int jobs_submit(struct jobs *j, job_work_fn work, job_done_fn done, void *arg);

#define JOBS_QUEUE_MAX 256
