/* The JSON API's handlers (api_*.c, one file per concern) and the small
 * helpers they share (api.c). Private to src/web: the server sees only
 * the route table, api_routes[] (http.h). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "common/json.h"
#include "web/ack.h"
#include "web/http.h"
#include "web/lang.h"

#define API_PREFIX "/api/v1"

/* --- State kept in memory for the server's lifetime (api_state.c) ---- */

struct api_state {
	struct alarm_acks acks;         /* POST /alarms/ack */
	struct lang_cache langs;        /* GET /languages */
};

int api_state_new(struct api_state **out);
void api_state_free(struct api_state *s);                       /* accepts NULL */
/* Every new snapshot: alarms that cleared lose their acknowledgement. */
void api_state_snapshot(struct api_state *s, const struct snapshot *snap);

/* --- Helpers (api.c) ------------------------------------------------- */

/* [body] (from json_pack...) as the reply; 500 when it is NULL. */
void api_reply(struct web_request *r, unsigned status, json_t *body);
/* The text of a streaming writer as a JSON reply (500 when it failed). */
void api_reply_writer(struct web_request *r, unsigned status, struct json *j);
/* {"error": {...}, [key]: [list]}: an error with the list of what was
 * rejected ({"key","reason"} objects). Takes [list]. */
void api_reply_rejected(struct web_request *r, unsigned status, const char *code,
			const char *message, const char *key, json_t *list);
/* A string member of [body], or NULL (and a 400 "bad_request" reply)
 * when it is missing, not a string or longer than [max] bytes. */
const char *api_body_string(struct web_request *r, json_t *body, const char *name, size_t max);
/* Appends to [changed] the keys whose value differs between [a] and
 * [b], and to [restart] those of them that take effect at the next start. */
void api_diff_keys(const struct settings *a, const struct settings *b, json_t *changed,
		   json_t *restart);
/* "2026-11-22T10:00:00Z" for unix seconds. */
void api_iso_time(int64_t secs, char *buf, size_t len);

/* --- Handlers -------------------------------------------------------- */

/* api_session.c */
void api_login(struct web_request *r);
void api_logout(struct web_request *r);
void api_session_get(struct web_request *r);
void api_password(struct web_request *r);
/* api_status.c */
void api_status(struct web_request *r);
void api_alarms(struct web_request *r);
void api_alarms_ack(struct web_request *r);
/* api_logs.c */
void api_logs_get(struct web_request *r);
void api_logs_clear(struct web_request *r);
void api_series(struct web_request *r);
/* api_settings.c */
void api_settings_get(struct web_request *r);
void api_settings_put(struct web_request *r);
void api_settings_validate(struct web_request *r);
void api_settings_schema(struct web_request *r);
void api_restart(struct web_request *r);
/* api_backup.c */
void api_backup(struct web_request *r);
void api_restore(struct web_request *r);
void api_factory_reset(struct web_request *r);
/* api_users.c */
void api_users_list(struct web_request *r);
void api_user_put(struct web_request *r);
void api_user_delete(struct web_request *r);
void api_user_post(struct web_request *r);
/* api_tls.c */
void api_certificate_get(struct web_request *r);
void api_certificate_pem(struct web_request *r);
void api_certificate_put(struct web_request *r);
void api_certificate_delete(struct web_request *r);
/* api_trace.c */
void api_trace_get(struct web_request *r);
void api_trace_post(struct web_request *r);
void api_trace_csv(struct web_request *r);
/* api_snmp.c */
void api_snmp_test_trap(struct web_request *r);
/* api_events.c */
void api_events(struct web_request *r);
/* api_ui.c */
void api_languages(struct web_request *r);
void api_time(struct web_request *r);
/* The zone's name ("Europe/Paris"): [tz] (the TZ variable, may be
 * NULL), else the first word of [timezone_file], else what the link
 * [localtime_link] points to after "zoneinfo/", else "UTC". */
void api_timezone(const char *tz, const char *timezone_file, const char *localtime_link,
		  char *out, size_t len);
