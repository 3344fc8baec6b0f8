/* The HTTPS certificate: its details, its download (the certificate
 * only, never the key), the upload of a key and certificate (validated by
 * tls_upload before it replaces anything) and the return to the
 * generated pair. Each change is recorded in the gateway event log. */
#include "web/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "web/tls.h"

static struct tls_store *tls_of(struct web_request *r)
{
	struct tls_store *t = web_deps(r)->tls;

	if (!t)
		web_reply_error(r, 503, "not_available", "HTTPS is not enabled");
	return t;
}

static json_t *info_json(struct tls_store *t)
{
	struct tls_cert_info info;
	char from[32], to[32];

	tls_cert_info(t, &info);
	api_iso_time(info.not_before, from, sizeof(from));
	api_iso_time(info.not_after, to, sizeof(to));
	return json_pack("{s:b,s:s,s:s,s:s,s:s,s:s}", "uploaded", info.uploaded, "subject",
			 info.subject, "issuer", info.issuer, "not_before", from, "not_after", to,
			 "sha256", info.sha256);
}

void api_certificate_get(struct web_request *r)
{
	struct tls_store *t = tls_of(r);

	if (t)
		api_reply(r, 200, info_json(t));
}

void api_certificate_pem(struct web_request *r)
{
	struct tls_store *t = tls_of(r);
	const char *pem = t ? tls_cert_pem(t) : NULL;
	char *copy;

	if (!t)
		return;
	copy = pem ? strdup(pem) : NULL;
	if (!copy) {
		web_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	web_reply_data(r, 200, "application/x-pem-file", copy, strlen(copy), "upsgate.pem");
}

void api_certificate_put(struct web_request *r)
{
	struct tls_store *t = tls_of(r);
	char why[256] = "";
	const char *pem;
	size_t len;
	int rc;

	if (!t)
		return;
	pem = web_body(r, &len);
	if (!pem || !len) {
		web_reply_error(r, 400, "bad_request", "the body must be a PEM private key and certificate");
		return;
	}
	rc = tls_upload(t, pem, len, why, sizeof(why));
	if (rc == -EINVAL) {
		web_reply_error(r, 422, "invalid_certificate", "%s", why[0] ? why : "not a valid key and certificate");
		return;
	}
	if (rc < 0) {
		web_reply_error(r, 500, "internal", "the certificate could not be saved: %s", strerror(-rc));
		return;
	}
	evbus_emit(web_deps(r)->m->bus, "gw.certificate_changed", 0, 0, "uploaded via web by %s",
		   web_who(r));
	api_reply(r, 200, info_json(t));
}

void api_certificate_delete(struct web_request *r)
{
	struct tls_store *t = tls_of(r);
	int rc;

	if (!t)
		return;
	rc = tls_remove_upload(t);
	if (rc == -ENOENT) {            /* nothing uploaded: already there */
		api_reply(r, 200, info_json(t));
		return;
	}
	if (rc < 0) {
		web_reply_error(r, 500, "internal", "the uploaded certificate could not be removed: %s",
				strerror(-rc));
		return;
	}
	evbus_emit(web_deps(r)->m->bus, "gw.certificate_changed", 0, 0,
		   "back to the generated certificate via web by %s", web_who(r));
	api_reply(r, 200, info_json(t));
}
