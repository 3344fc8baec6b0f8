/* Logging: to the journal (with priority and structured fields) when
 * stderr is connected to it, otherwise one line per message on stderr.
 * Safe from any thread. */
#pragma once

#include <stdbool.h>
#include <syslog.h>

void log_setup(const char *ident, int max_priority);   /* LOG_INFO by default */
void log_set_max_priority(int max_priority);
bool log_to_journal(void);

void log_msg(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* fields: NULL-terminated "KEY=value" strings added to the journal entry
 * (shown as key=value after the message on stderr). */
void log_struct(int priority, const char *const *fields, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)  log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)    log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)   log_msg(LOG_DEBUG, __VA_ARGS__)
