/* The JSON API's route table (/api/v1/...) and the helpers its handlers
 * share. The server (http.c) matches a request against the table and
 * checks session, role and CSRF before a handler runs; the handlers live
 * in api_*.c, one file per concern. docs/api.md describes every line of
 * the table (tests/unit/test-api-doc checks that they agree). */
#include "web/api.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web/tls.h"

/* Body caps: a login or a small command fits in 1 KiB; the settings and
 * a backup are the big ones. */
#define SMALL_BODY 1024
#define SETTINGS_BODY (64 * 1024)
#define BACKUP_BODY (256 * 1024)

const struct web_route api_routes[] = {
	{ "POST", API_PREFIX "/login", WEB_PUBLIC, SMALL_BODY, api_login },
	{ "POST", API_PREFIX "/logout", WEB_SESSION, 0, api_logout },
	{ "GET", API_PREFIX "/session", WEB_SESSION, 0, api_session_get },
	{ "POST", API_PREFIX "/password", WEB_SESSION, SMALL_BODY, api_password },
	{ "GET", API_PREFIX "/status", WEB_READ, 0, api_status },
	{ "GET", API_PREFIX "/alarms", WEB_READ, 0, api_alarms },
	{ "POST", API_PREFIX "/alarms/ack", WEB_WRITE, SMALL_BODY, api_alarms_ack },
	{ "GET", API_PREFIX "/logs/", WEB_READ, 0, api_logs_get },
	{ "DELETE", API_PREFIX "/logs/", WEB_WRITE, 0, api_logs_clear },
	{ "GET", API_PREFIX "/series", WEB_READ, 0, api_series },
	{ "GET", API_PREFIX "/events", WEB_READ, 0, api_events },
	{ "GET", API_PREFIX "/settings", WEB_READ, 0, api_settings_get },
	{ "PUT", API_PREFIX "/settings", WEB_WRITE, SETTINGS_BODY, api_settings_put },
	{ "GET", API_PREFIX "/settings/schema", WEB_READ, 0, api_settings_schema },
	{ "POST", API_PREFIX "/settings/validate", WEB_WRITE, SETTINGS_BODY, api_settings_validate },
	{ "GET", API_PREFIX "/backup", WEB_ADMIN, 0, api_backup },
	{ "POST", API_PREFIX "/restore", WEB_ADMIN, BACKUP_BODY, api_restore },
	{ "POST", API_PREFIX "/factory-reset", WEB_ADMIN, 0, api_factory_reset },
	{ "POST", API_PREFIX "/restart", WEB_ADMIN, 0, api_restart },
	{ "GET", API_PREFIX "/users", WEB_ADMIN, 0, api_users_list },
	{ "PUT", API_PREFIX "/users/", WEB_ADMIN, SMALL_BODY, api_user_put },
	{ "DELETE", API_PREFIX "/users/", WEB_ADMIN, 0, api_user_delete },
	{ "POST", API_PREFIX "/users/", WEB_ADMIN, 0, api_user_post },
	{ "GET", API_PREFIX "/certificate", WEB_READ, 0, api_certificate_get },
	{ "GET", API_PREFIX "/certificate.pem", WEB_READ, 0, api_certificate_pem },
	{ "PUT", API_PREFIX "/certificate", WEB_ADMIN, TLS_UPLOAD_MAX, api_certificate_put },
	{ "DELETE", API_PREFIX "/certificate", WEB_ADMIN, 0, api_certificate_delete },
	{ "GET", API_PREFIX "/trace", WEB_ADMIN, 0, api_trace_get },
	{ "POST", API_PREFIX "/trace", WEB_ADMIN, SMALL_BODY, api_trace_post },
	{ "GET", API_PREFIX "/trace.csv", WEB_ADMIN, 0, api_trace_csv },
	{ "POST", API_PREFIX "/snmp/test-trap", WEB_WRITE, SMALL_BODY, api_snmp_test_trap },
	{ "GET", API_PREFIX "/languages", WEB_PUBLIC, 0, api_languages },
	{ "GET", API_PREFIX "/time", WEB_READ, 0, api_time },
	{ NULL, NULL, WEB_PUBLIC, 0, NULL },
};

void api_reply(struct web_request *r, unsigned status, json_t *body)
{
	if (body)
		web_reply_json(r, status, body);
	else
		web_reply_error(r, 500, "internal", "out of memory");
}

void api_reply_writer(struct web_request *r, unsigned status, struct json *j)
{
	size_t len;
	char *text;

	if (json_failed(j)) {
		json_free(j);
		web_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	text = json_steal(j, &len);
	if (!text) {
		web_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	web_reply_data(r, status, "application/json", text, len, NULL);
}

void api_reply_rejected(struct web_request *r, unsigned status, const char *code,
			const char *message, const char *key, json_t *list)
{
	json_t *body = json_pack("{s:{s:s,s:s},s:o}", "error", "code", code, "message", message,
				 key, list ? list : json_array());

	if (!body) {
		web_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	web_reply_json(r, status, body);
}

const char *api_body_string(struct web_request *r, json_t *body, const char *name, size_t max)
{
	json_t *v = json_object_get(body, name);

	if (!json_is_string(v)) {
		web_reply_error(r, 400, "bad_request", "'%s' must be a string", name);
		return NULL;
	}
	if (json_string_length(v) > max || strlen(json_string_value(v)) != json_string_length(v)) {
		web_reply_error(r, 400, "bad_request", "'%s' is too long (at most %zu bytes)", name, max);
		return NULL;
	}
	return json_string_value(v);
}

void api_diff_keys(const struct settings *a, const struct settings *b, json_t *changed,
		   json_t *restart)
{
	for (int id = 0; id < _SET_COUNT; id++) {
		if (settings_equal(a, b, (enum setting_id)id))
			continue;
		json_array_append_new(changed, json_string(settings_schema[id].key));
		if (settings_schema[id].flags & SF_RESTART)
			json_array_append_new(restart, json_string(settings_schema[id].key));
	}
}

void api_iso_time(int64_t secs, char *buf, size_t len)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)secs);
}
