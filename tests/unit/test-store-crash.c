/* Crash safety at the store's level: a child writes history rows
 * (interval 1 s, one per write) and flapping alarm events as fast as it
 * can, acknowledging each committed write on a pipe; it is killed with
 * SIGKILL at a random moment, 50 times. Every time the file passes
 * PRAGMA integrity_check and holds every acknowledged row. */
#include "store-test.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#define RUNS 50
#define RUN_SPAN (30 * 86400000LL)    /* each run's own stretch of time */

static void writer(const char *dir, int run, int ack_fd)
{
	struct store_config c = test_config(dir);
	const struct event_def *def = event_find("jbusp.A01");
	struct snapshot *s = test_snapshot(1, 230);
	struct store *st;

	c.history_interval_s = 1;
	if (!def || store_open(&st, &c, NULL) < 0)
		_exit(2);
	for (uint32_t i = 0;; i++) {
		struct event e = { .def = def, .active = i & 1 };
		int64_t now = T0 + run * RUN_SPAN + (int64_t)i * 1000;

		clock_gettime(CLOCK_REALTIME, &e.time);
		snprintf(e.detail, sizeof(e.detail), "r%d-%u", run, i);
		if (store_add_event(st, &e) < 0 || store_tick(st, s, now) < 0)
			_exit(3);
		/* Acknowledged only once both are committed. */
		if (write(ack_fd, &i, sizeof(i)) != sizeof(i))
			_exit(4);
	}
}

static void verify(const char *dir, int run, uint32_t acked)
{
	char path[512], pattern[32];
	sqlite3_stmt *stmt;
	sqlite3 *db;
	int64_t events, rows;

	snprintf(path, sizeof(path), "%s/upsgate.db", dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(stmt) == SQLITE_ROW);
	CHECK(strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") == 0);
	sqlite3_finalize(stmt);
	/* Killed before the first run created the logs: nothing can have
	 * been acknowledged, so nothing can be lost. */
	if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM ev_ups WHERE detail LIKE ?1), "
			       "(SELECT count(*) FROM history WHERE t >= ?2 AND t < ?3)", -1, &stmt,
			       NULL) != SQLITE_OK) {
		CHECK(acked == 0);
		sqlite3_close(db);
		return;
	}
	snprintf(pattern, sizeof(pattern), "r%d-%%", run);
	sqlite3_bind_text(stmt, 1, pattern, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, T0 + run * RUN_SPAN);
	sqlite3_bind_int64(stmt, 3, T0 + (run + 1) * RUN_SPAN);
	CHECK(sqlite3_step(stmt) == SQLITE_ROW);
	events = sqlite3_column_int64(stmt, 0);
	rows = sqlite3_column_int64(stmt, 1);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	/* Writes are sequential: the rows are a prefix; at most one more
	 * than acknowledged (committed, killed before the ack). */
	if (events < acked || events > acked + 1 || rows / 2 < acked) {
		fprintf(stderr, "not ok: run %d: %u acknowledged, %lld events, %lld history rows\n",
			run, acked, (long long)events, (long long)rows);
		exit(1);
	}
}

int main(void)
{
	char *dir = test_dir();
	uint64_t total = 0;

	srand((unsigned)time(NULL));
	for (int run = 0; run < RUNS; run++) {
		struct timespec delay = { 0, (5 + rand() % 60) * 1000000L };
		uint32_t seq, acked = 0;
		int fds[2], status;
		pid_t pid;

		CHECK(pipe(fds) == 0);
		pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			writer(dir, run, fds[1]);
		}
		close(fds[1]);
		nanosleep(&delay, NULL);
		kill(pid, SIGKILL);
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		while (read(fds[0], &seq, sizeof(seq)) == sizeof(seq))
			acked = seq + 1;
		close(fds[0]);
		verify(dir, run, acked);
		total += acked;
	}
	printf("ok - %d kills, %llu acknowledged writes, none lost, integrity ok\n", RUNS,
	       (unsigned long long)total);
	test_dir_remove(dir);
	return 0;
}
