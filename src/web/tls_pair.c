/* A key and certificate checked before anyone relies on them: what an
 * upload must pass, and what the stored pair must still pass at start. */
#include "web/tls_pair.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_RSA_BITS 2048

void tls_pair_clear(struct tls_pair *p)
{
	if (p->key)
		gnutls_x509_privkey_deinit(p->key);
	for (unsigned i = 0; i < p->n_certs; i++)
		gnutls_x509_crt_deinit(p->certs[i]);
	memset(p, 0, sizeof(*p));
}

static void format_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static int parse_key(struct tls_pair *p, const gnutls_datum_t *d, char *why, size_t whylen)
{
	unsigned bits = 0;
	int r, pk;

	if (!memmem(d->data, d->size, "PRIVATE KEY-----", 16)) {
		snprintf(why, whylen, "no private key in the file (a PEM \"PRIVATE KEY\" block)");
		return -EINVAL;
	}
	if (gnutls_x509_privkey_init(&p->key) < 0) {
		p->key = NULL;
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	r = gnutls_x509_privkey_import2(p->key, d, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN);
	if (r < 0) {
		snprintf(why, whylen, "the private key cannot be read (%s); encrypted keys are not supported",
			 gnutls_strerror(r));
		return -EINVAL;
	}
	pk = gnutls_x509_privkey_get_pk_algorithm2(p->key, &bits);
	if (pk == GNUTLS_PK_RSA && bits < MIN_RSA_BITS) {
		snprintf(why, whylen, "the RSA key has %u bits: at least %d are needed", bits, MIN_RSA_BITS);
		return -EINVAL;
	}
	return 0;
}

static int parse_certs(struct tls_pair *p, const gnutls_datum_t *d, char *why, size_t whylen)
{
	unsigned n = TLS_CHAIN_MAX;
	int r;

	if (!memmem(d->data, d->size, "-----BEGIN CERTIFICATE-----", 27)) {
		snprintf(why, whylen, "no certificate in the file (a PEM \"CERTIFICATE\" block)");
		return -EINVAL;
	}
	r = gnutls_x509_crt_list_import(p->certs, &n, d, GNUTLS_X509_FMT_PEM,
					GNUTLS_X509_CRT_LIST_FAIL_IF_UNSORTED);
	if (r < 0) {
		snprintf(why, whylen, "the certificate cannot be read: %s", gnutls_strerror(r));
		return -EINVAL;
	}
	p->n_certs = (unsigned)r;
	return 0;
}

static int check_match(const struct tls_pair *p, char *why, size_t whylen)
{
	unsigned char kid[64], cid[64];
	size_t klen = sizeof(kid), clen = sizeof(cid);

	if (gnutls_x509_privkey_get_key_id(p->key, GNUTLS_KEYID_USE_SHA256, kid, &klen) < 0 ||
	    gnutls_x509_crt_get_key_id(p->certs[0], GNUTLS_KEYID_USE_SHA256, cid, &clen) < 0 ||
	    klen != clen || memcmp(kid, cid, klen) != 0) {
		snprintf(why, whylen, "the private key does not match the certificate");
		return -EINVAL;
	}
	return 0;
}

static int check_dates(const struct tls_pair *p, int64_t now, char *why, size_t whylen)
{
	int64_t from = gnutls_x509_crt_get_activation_time(p->certs[0]);
	int64_t until = gnutls_x509_crt_get_expiration_time(p->certs[0]);
	char when[40];

	if (until != -1 && until < now) {
		format_time(until, when, sizeof(when));
		snprintf(why, whylen, "the certificate expired on %s", when);
		return -EINVAL;
	}
	if (from == -1 || from > now) {
		format_time(from, when, sizeof(when));
		snprintf(why, whylen, "the certificate is not valid before %s", when);
		return -EINVAL;
	}
	return 0;
}

/* What the TLS server itself will do with the pair. */
static int check_usable(const struct tls_pair *p, char *why, size_t whylen)
{
	gnutls_certificate_credentials_t cred;
	char *key = NULL, *cert = NULL;
	gnutls_datum_t kd, cd;
	int r;

	if (tls_pair_export(p, &key, &cert) < 0 || gnutls_certificate_allocate_credentials(&cred) < 0) {
		free(key);
		free(cert);
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	kd = (gnutls_datum_t) { (unsigned char *)key, (unsigned)strlen(key) };
	cd = (gnutls_datum_t) { (unsigned char *)cert, (unsigned)strlen(cert) };
	r = gnutls_certificate_set_x509_key_mem2(cred, &cd, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_certificate_free_credentials(cred);
	free(key);
	free(cert);
	if (r < 0) {
		snprintf(why, whylen, "the key and certificate cannot serve TLS: %s", gnutls_strerror(r));
		return -EINVAL;
	}
	return 0;
}

int tls_pair_parse(struct tls_pair *p, const char *pem, size_t len, int64_t now,
		   char *why, size_t whylen)
{
	gnutls_datum_t d = { (unsigned char *)pem, (unsigned)len };
	int r;

	memset(p, 0, sizeof(*p));
	r = parse_key(p, &d, why, whylen);
	if (r >= 0)
		r = parse_certs(p, &d, why, whylen);
	if (r >= 0)
		r = check_match(p, why, whylen);
	if (r >= 0)
		r = check_dates(p, now, why, whylen);
	if (r >= 0)
		r = check_usable(p, why, whylen);
	if (r < 0)
		tls_pair_clear(p);
	return r;
}

static int datum_text(gnutls_datum_t *d, char **out)
{
	*out = strndup((const char *)d->data, d->size);
	gnutls_free(d->data);
	return *out ? 0 : -ENOMEM;
}

int tls_pair_export(const struct tls_pair *p, char **key_pem, char **cert_pem)
{
	gnutls_datum_t d;
	size_t len = 0;
	char *chain = NULL;

	*key_pem = *cert_pem = NULL;
	if (gnutls_x509_privkey_export2(p->key, GNUTLS_X509_FMT_PEM, &d) < 0 ||
	    datum_text(&d, key_pem) < 0)
		goto fail;
	for (unsigned i = 0; i < p->n_certs; i++) {
		char *text, *grown;

		if (gnutls_x509_crt_export2(p->certs[i], GNUTLS_X509_FMT_PEM, &d) < 0 ||
		    datum_text(&d, &text) < 0)
			goto fail;
		grown = realloc(chain, len + strlen(text) + 1);
		if (!grown) {
			free(text);
			goto fail;
		}
		chain = grown;
		memcpy(chain + len, text, strlen(text) + 1);
		len += strlen(text);
		free(text);
	}
	*cert_pem = chain;
	return 0;
fail:
	free(chain);
	free(*key_pem);
	*key_pem = NULL;
	return -ENOMEM;
}

void tls_pair_info(const struct tls_pair *p, struct tls_cert_info *out)
{
	unsigned char fp[32];
	size_t fplen = sizeof(fp);
	gnutls_datum_t d;

	memset(out, 0, sizeof(*out));
	if (gnutls_x509_crt_get_dn3(p->certs[0], &d, 0) >= 0) {
		snprintf(out->subject, sizeof(out->subject), "%.*s", (int)d.size, d.data);
		gnutls_free(d.data);
	}
	if (gnutls_x509_crt_get_issuer_dn3(p->certs[0], &d, 0) >= 0) {
		snprintf(out->issuer, sizeof(out->issuer), "%.*s", (int)d.size, d.data);
		gnutls_free(d.data);
	}
	out->not_before = gnutls_x509_crt_get_activation_time(p->certs[0]);
	out->not_after = gnutls_x509_crt_get_expiration_time(p->certs[0]);
	if (gnutls_x509_crt_get_fingerprint(p->certs[0], GNUTLS_DIG_SHA256, fp, &fplen) < 0)
		return;
	for (size_t i = 0, pos = 0; i < fplen && pos < sizeof(out->sha256); i++)
		pos += (size_t)snprintf(out->sha256 + pos, sizeof(out->sha256) - pos, "%s%02X",
					i ? ":" : "", fp[i]);
}
