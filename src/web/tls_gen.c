/* The self-signed pair of first start: HTTPS works out of the box, and
 * the browser's warning goes away once the user uploads a certificate
 * or trusts this one. ECDSA P-256: small, fast on a Raspberry Pi, and
 * accepted by every current browser. */
#include "web/tls_pair.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DAY_S (24 * 3600)
#define VALID_DAYS (10 * 365)
#define SERIAL_BYTES 16

/* Letters, digits, dots and hyphens: what a DNS name in a SAN may be. */
static bool is_dns_name(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < 254 && name[0] != '.' && name[0] != '-' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == n;
}

static int add_names(gnutls_x509_crt_t crt, const char *cn)
{
	static const unsigned char lo4[4] = { 127, 0, 0, 1 };
	static const unsigned char lo6[16] = { [15] = 1 };
	char host[256] = "";
	int r = 0;

	if (gethostname(host, sizeof(host) - 1) == 0 && is_dns_name(host) && strcmp(host, "localhost"))
		r = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, host,
							 (unsigned)strlen(host), GNUTLS_FSAN_APPEND);
	if (r >= 0 && is_dns_name(cn) && strcmp(cn, host) && strcmp(cn, "localhost"))
		r = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, cn,
							 (unsigned)strlen(cn), GNUTLS_FSAN_APPEND);
	if (r >= 0)
		r = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
							 GNUTLS_FSAN_APPEND);
	if (r >= 0)
		r = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, lo4, sizeof(lo4),
							 GNUTLS_FSAN_APPEND);
	if (r >= 0)
		r = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, lo6, sizeof(lo6),
							 GNUTLS_FSAN_APPEND);
	return r;
}

static int fill_certificate(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key, const char *cn)
{
	unsigned char serial[SERIAL_BYTES], kid[64];
	size_t kid_len = sizeof(kid);
	time_t now = time(NULL);
	int r;

	r = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
	serial[0] = (serial[0] & 0x7f) | 0x40;  /* positive, full length */
	if (r >= 0)
		r = gnutls_x509_crt_set_version(crt, 3);
	if (r >= 0)
		r = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
	/* A day early: a client whose clock is a little behind still accepts it. */
	if (r >= 0)
		r = gnutls_x509_crt_set_activation_time(crt, now - DAY_S);
	if (r >= 0)
		r = gnutls_x509_crt_set_expiration_time(crt, now + (time_t)VALID_DAYS * DAY_S);
	if (r >= 0)
		r = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
						  (unsigned)strlen(cn));
	if (r >= 0)
		r = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
						  "upsgate", 7);
	if (r >= 0)
		r = add_names(crt, cn);
	if (r >= 0)
		r = gnutls_x509_crt_set_key(crt, key);
	if (r >= 0)
		r = gnutls_x509_crt_set_basic_constraints(crt, 0, -1);
	if (r >= 0)
		r = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE);
	if (r >= 0)
		r = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
	if (r >= 0)
		r = gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, kid, &kid_len);
	if (r >= 0)
		r = gnutls_x509_crt_set_subject_key_id(crt, kid, kid_len);
	if (r >= 0)
		r = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0);
	return r;
}

int tls_generate(const char *cn, char **key_pem, char **cert_pem)
{
	struct tls_pair p = { 0 };
	int r;

	r = gnutls_x509_privkey_init(&p.key);
	if (r < 0) {
		p.key = NULL;
		return -ENOMEM;
	}
	r = gnutls_x509_crt_init(&p.certs[0]);
	if (r < 0)
		goto fail;
	p.n_certs = 1;
	r = gnutls_x509_privkey_generate(p.key, GNUTLS_PK_ECDSA,
					 GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	if (r >= 0)
		r = fill_certificate(p.certs[0], p.key, cn);
	if (r < 0)
		goto fail;
	r = tls_pair_export(&p, key_pem, cert_pem);
	tls_pair_clear(&p);
	return r;
fail:
	tls_pair_clear(&p);
	return -EIO;
}
