/* Shared by the local API's files: one request as a handler sees it,
 * and the commands each file offers to the table in control.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "auth/auth.h"
#include "core/manager.h"
#include "store/store.h"

struct ctl_pending;

struct ctl_request {
	struct manager *m;
	struct store *store;
	struct auth *auth;              /* NULL when accounts are not running */
	const char *args;               /* after the command word, body length removed */
	const char *body;               /* commands that take one; NUL-terminated */
	size_t body_len;
	uid_t uid;                      /* the peer, from SO_PEERCRED */
	char who[64];                   /* "uid 0 (root)", for the gateway log */
	struct ctl_pending *pending;    /* set by control_defer */
};

/* A handler returns the reply (malloc'd, *len bytes), or NULL: out of
 * memory (the client is dropped), or after control_defer, when the
 * reply comes later through control_finish. */
typedef char *(*ctl_handler)(struct ctl_request *rq, size_t *len);
typedef bool (*ctl_check)(const char *args);

struct ctl_pending *control_defer(struct ctl_request *rq);
/* Sends [reply] (taken) to the waiting client, if it is still there. */
void control_finish(struct ctl_pending *p, char *reply, size_t len);

/* Replies made from a format; "error: " replies make upsgatectl exit 1. */
char *ctl_printf(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* control_device.c: what the poller sees. */
bool ctl_check_none(const char *args);
bool ctl_check_text(const char *args);
bool ctl_check_trace(const char *args);
char *ctl_status(struct ctl_request *rq, size_t *len);
char *ctl_alarms(struct ctl_request *rq, size_t *len);
char *ctl_trace(struct ctl_request *rq, size_t *len);
char *ctl_logs(struct ctl_request *rq, size_t *len);
char *ctl_ping(struct ctl_request *rq, size_t *len);

/* control_config.c: settings and restart. */
bool ctl_check_config(const char *args);
bool ctl_check_config_set(const char *args);
char *ctl_config(struct ctl_request *rq, size_t *len);
char *ctl_config_set(struct ctl_request *rq, size_t *len);
char *ctl_restart(struct ctl_request *rq, size_t *len);

/* control_accounts.c: users and passwords. */
bool ctl_check_user(const char *args);
bool ctl_check_password(const char *args);
char *ctl_users(struct ctl_request *rq, size_t *len);
char *ctl_passwd(struct ctl_request *rq, size_t *len);
char *ctl_password(struct ctl_request *rq, size_t *len);

/* control_backup.c: backup, restore, factory reset. */
char *ctl_backup(struct ctl_request *rq, size_t *len);
char *ctl_restore(struct ctl_request *rq, size_t *len);
char *ctl_factory_reset(struct ctl_request *rq, size_t *len);
