/* Replies: every response gets the security headers here, so no path
 * can forget them. A reply is made by the handler (or later, by a job's
 * callback while the connection is suspended) and queued by the MHD
 * access handler, the one place MHD allows it. */
#include "web/web_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " \
	"form-action 'self'"
#define HSTS "max-age=31536000"

void web_add_security_headers(const struct web_request *r, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (r->srv->https)
		MHD_add_response_header(resp, "Strict-Transport-Security", HSTS);
	/* Static files set their own; API answers and errors are never kept. */
	if (!MHD_get_response_header(resp, "Cache-Control"))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

void web_reply_response(struct web_request *r, unsigned status, struct MHD_Response *resp)
{
	if (r->response) {
		log_error("web: %s %s: a second reply (%u) is ignored", r->method, r->path, status);
		if (resp)
			MHD_destroy_response(resp);
		return;
	}
	if (!resp) {
		log_error("web: out of memory for a reply");
		return;                 /* the connection is closed */
	}
	for (size_t i = 0; i < r->n_headers; i++)
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	web_add_security_headers(r, resp);
	r->response = resp;
	r->status = status;
	web_request_resume(r);
}

enum MHD_Result web_queue_reply(struct web_request *r)
{
	enum MHD_Result ret;

	if (!r->response)
		return MHD_NO;
	ret = MHD_queue_response(r->conn, r->status, r->response);
	MHD_destroy_response(r->response);
	r->response = NULL;
	return ret;
}

void web_add_header(struct web_request *r, const char *name, const char *value)
{
	struct web_header *h;

	if (r->n_headers >= WEB_EXTRA_HEADERS || strpbrk(value, "\r\n") || strpbrk(name, "\r\n: ")) {
		log_error("web: header %s refused", name);
		return;
	}
	h = &r->headers[r->n_headers];
	h->name = strdup(name);
	h->value = strdup(value);
	if (!h->name || !h->value) {
		free(h->name);
		free(h->value);
		return;
	}
	r->n_headers++;
}

void web_set_session_cookie(struct web_request *r, const char *token)
{
	char cookie[AUTH_TOKEN_LEN + 128];
	bool https = r->srv->https;

	if (token && (strlen(token) > AUTH_TOKEN_LEN || strspn(token, "0123456789abcdef") != strlen(token))) {
		log_error("web: a session token that is not lowercase hex is not sent");
		return;
	}
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/;%s HttpOnly; SameSite=Strict%s",
		 https ? "__Host-upsgate" : "upsgate", token ? token : "",
		 https ? " Secure;" : "", token ? "" : "; Max-Age=0");
	web_add_header(r, "Set-Cookie", cookie);
}

void web_reply_data(struct web_request *r, unsigned status, const char *content_type,
		    char *data, size_t len, const char *filename)
{
	struct MHD_Response *resp;
	char disposition[160];

	resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		web_reply_response(r, status, NULL);
		return;
	}
	MHD_add_response_header(resp, "Content-Type", content_type);
	if (filename) {
		/* Only characters that need no quoting in the header. */
		if (strspn(filename, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
		    == strlen(filename) && strlen(filename) < 100) {
			snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", filename);
			MHD_add_response_header(resp, "Content-Disposition", disposition);
		} else {
			MHD_add_response_header(resp, "Content-Disposition", "attachment");
		}
	}
	r->reply_len = len;
	web_reply_response(r, status, resp);
}

void web_reply_json(struct web_request *r, unsigned status, json_t *body)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

	json_decref(body);
	if (!text) {
		log_error("web: cannot render a JSON reply");
		web_reply_response(r, status, NULL);
		return;
	}
	web_reply_data(r, status, "application/json", text, strlen(text), NULL);
}

void web_reply_error(struct web_request *r, unsigned status, const char *code,
		     const char *fmt, ...)
{
	char message[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	/* Messages may quote the request: keep them ASCII, valid JSON text. */
	for (char *c = message; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '?';
	web_reply_json(r, status, json_pack("{s:{s:s,s:s}}", "error", "code", code,
					    "message", message));
}
