#include "common/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#define LOG_LINE_MAX 2048
#define LOG_FIELDS_MAX 16

/* Set once at start-up, read by every thread: the only process-wide
 * state, as a log sink is by nature. */
static struct {
	const char *ident;
	atomic_int max_priority;
	bool journal;
} log_state = { "upsgate", LOG_INFO, false };

static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

void log_setup(const char *ident, int max_priority)
{
	log_state.ident = ident;
	atomic_store(&log_state.max_priority, max_priority);
	log_state.journal = stderr_is_journal();
}

void log_set_max_priority(int max_priority)
{
	atomic_store(&log_state.max_priority, max_priority);
}

bool log_to_journal(void)
{
	return log_state.journal;
}

static const char *priority_tag(int priority)
{
	static const char *const tags[] = {
		"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug",
	};
	return priority >= 0 && priority <= LOG_DEBUG ? tags[priority] : "?";
}

static void log_journal(int priority, const char *const *fields, const char *msg)
{
	struct iovec iov[LOG_FIELDS_MAX + 3];
	char prio[16], message[LOG_LINE_MAX + 16], ident[64];
	int n = 0;

	snprintf(prio, sizeof(prio), "PRIORITY=%d", priority);
	snprintf(message, sizeof(message), "MESSAGE=%s", msg);
	snprintf(ident, sizeof(ident), "SYSLOG_IDENTIFIER=%s", log_state.ident);
	iov[n++] = (struct iovec) { prio, strlen(prio) };
	iov[n++] = (struct iovec) { message, strlen(message) };
	iov[n++] = (struct iovec) { ident, strlen(ident) };
	for (size_t i = 0; fields && fields[i] && n < LOG_FIELDS_MAX + 3; i++)
		iov[n++] = (struct iovec) { (void *)fields[i], strlen(fields[i]) };
	sd_journal_sendv(iov, n);
}

static void log_stderr(int priority, const char *const *fields, const char *msg)
{
	char line[LOG_LINE_MAX * 2];
	struct timespec ts;
	struct tm tm;
	size_t len;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	len = strftime(line, sizeof(line), "%H:%M:%S", &tm);
	len += snprintf(line + len, sizeof(line) - len, ".%03ld %s[%s]: %s",
			ts.tv_nsec / 1000000, log_state.ident, priority_tag(priority), msg);
	for (size_t i = 0; fields && fields[i] && len < sizeof(line) - 2; i++)
		len += snprintf(line + len, sizeof(line) - len, " %s", fields[i]);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	/* One write per line so threads never interleave within a line. */
	(void)!write(STDERR_FILENO, line, len);
}

static void log_vstruct(int priority, const char *const *fields, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX];

	if (priority > atomic_load(&log_state.max_priority))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_state.journal)
		log_journal(priority, fields, msg);
	else
		log_stderr(priority, fields, msg);
}

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vstruct(priority, NULL, fmt, ap);
	va_end(ap);
}

void log_struct(int priority, const char *const *fields, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vstruct(priority, fields, fmt, ap);
	va_end(ap);
}
