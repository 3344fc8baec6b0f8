/* The TLS store: the generated pair (made once, kept across restarts,
 * files 0600 in a 0700 directory) and every upload check, with
 * certificates made here by GnuTLS. */
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "web/tls.h"

#define DAY (24 * 3600)

struct made {
	char *key, *cert;
};

static char *export_text(gnutls_datum_t *d)
{
	char *s = strndup((const char *)d->data, d->size);

	gnutls_free(d->data);
	return s;
}

/* A self-signed pair: [pk] with [bits], valid from now+from_days to now+until_days. */
static struct made make_pair(gnutls_pk_algorithm_t pk, unsigned bits, int from_days, int until_days)
{
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t crt;
	unsigned char serial[8] = { 0x12, 1, 2, 3, 4, 5, 6, 7 };
	time_t now = time(NULL);
	gnutls_datum_t d;
	struct made m = { 0 };

	gnutls_x509_privkey_init(&key);
	gnutls_x509_crt_init(&crt);
	if (gnutls_x509_privkey_generate(key, pk, bits, 0) < 0)
		goto out;
	gnutls_x509_crt_set_version(crt, 3);
	gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
	gnutls_x509_crt_set_activation_time(crt, now + (time_t)from_days * DAY);
	gnutls_x509_crt_set_expiration_time(crt, now + (time_t)until_days * DAY);
	gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, "test.example", 12);
	gnutls_x509_crt_set_key(crt, key);
	if (gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0) < 0)
		goto out;
	gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &d);
	m.key = export_text(&d);
	gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d);
	m.cert = export_text(&d);
out:
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	return m;
}

static void made_free(struct made *m)
{
	free(m->key);
	free(m->cert);
}

static char *cat(const char *a, const char *b)
{
	char *s;

	if (asprintf(&s, "%s%s", a, b) < 0)
		abort();
	return s;
}

static unsigned changes;

static void count_change(void *userdata)
{
	changes++;
}

static int file_mode(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s%s", dir, name ? "/" : "", name ? name : "");
	return stat(path, &st) < 0 ? -1 : (int)(st.st_mode & 07777);
}

/* Expects a refusal whose reason contains [reason], and no change. */
static void refused(struct tls_store *t, const char *pem, size_t len, const char *reason,
		    const char *what)
{
	struct tls_cert_info before, after;
	char why[256] = "";
	int r;

	tls_cert_info(t, &before);
	changes = 0;
	r = tls_upload(t, pem, len, why, sizeof(why));
	tls_cert_info(t, &after);
	CHECK(r == -EINVAL, "%s: refused (%d)", what, r);
	CHECK(strstr(why, reason), "%s: reason '%s' has '%s'", what, why, reason);
	CHECK(strcmp(before.sha256, after.sha256) == 0 && changes == 0, "%s: nothing changed", what);
}

static void test_uploads(struct tls_store *t, const char *state, const char *dir)
{
	struct made ec = make_pair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), -1, 365);
	struct made rsa = make_pair(GNUTLS_PK_RSA, 2048, -1, 365);
	struct made old = make_pair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), -30, -1);
	struct made later = make_pair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 2, 30);
	struct made weak = make_pair(GNUTLS_PK_RSA, 1024, -1, 365);
	struct tls_cert_info generated, info;
	char big[TLS_UPLOAD_MAX + 2], why[256];
	char *pem;

	CHECK(ec.key && rsa.key && old.key && later.key && weak.key, "test pairs made");
	tls_cert_info(t, &generated);

	memset(big, 'A', sizeof(big));
	refused(t, big, sizeof(big), "at most 8192", "too big");
	refused(t, "hello world\n", 12, "no private key", "garbage");
	refused(t, ec.key, strlen(ec.key), "no certificate", "a key alone");
	refused(t, ec.cert, strlen(ec.cert), "no private key", "a certificate alone");
	pem = cat(ec.key, rsa.cert);
	refused(t, pem, strlen(pem), "does not match", "key of another certificate");
	free(pem);
	pem = cat(old.key, old.cert);
	refused(t, pem, strlen(pem), "expired", "expired certificate");
	free(pem);
	pem = cat(later.key, later.cert);
	refused(t, pem, strlen(pem), "not valid before", "certificate not yet valid");
	free(pem);
	pem = cat(weak.key, weak.cert);
	refused(t, pem, strlen(pem), "1024 bits", "RSA 1024");
	free(pem);
	pem = cat(ec.key, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
	refused(t, pem, strlen(pem), "cannot be read", "broken certificate");
	free(pem);

	/* Certificate first, key second: the order in the file does not matter. */
	pem = cat(rsa.cert, rsa.key);
	changes = 0;
	CHECK(tls_upload(t, pem, strlen(pem), why, sizeof(why)) == 0, "RSA pair accepted: %s", why);
	free(pem);
	tls_cert_info(t, &info);
	CHECK(info.uploaded && strstr(info.subject, "CN=test.example"), "uploaded: %s", info.subject);
	CHECK(changes == 1, "change announced once (%u)", changes);
	CHECK(strstr(tls_cert_pem(t), "BEGIN CERTIFICATE") && strstr(tls_key_pem(t), "PRIVATE KEY"),
	      "PEM for the server");
	CHECK(file_mode(dir, "uploaded.pem") == 0600, "uploaded.pem is 0600");

	/* A restart keeps the upload. */
	{
		struct tls_store *again = NULL;
		struct tls_cert_info i2 = { 0 };

		CHECK(tls_store_open(&again, state, "ignored") == 0, "reopen with an upload");
		if (again)
			tls_cert_info(again, &i2);
		CHECK(i2.uploaded && strcmp(i2.sha256, info.sha256) == 0, "the upload survives a restart");
		tls_store_close(again);
	}

	changes = 0;
	CHECK(tls_remove_upload(t) == 0, "removal");
	tls_cert_info(t, &info);
	CHECK(!info.uploaded && strcmp(info.sha256, generated.sha256) == 0,
	      "back to the generated pair");
	CHECK(changes == 1, "removal announced");
	CHECK(file_mode(dir, "uploaded.pem") == -1, "uploaded.pem gone");
	CHECK(tls_remove_upload(t) == -ENOENT, "nothing more to remove");

	made_free(&ec);
	made_free(&rsa);
	made_free(&old);
	made_free(&later);
	made_free(&weak);
}

int main(void)
{
	char state[] = "/tmp/test-tls.XXXXXX", dir[64];
	struct tls_store *t = NULL, *t2 = NULL;
	struct tls_cert_info a, b;

	if (!mkdtemp(state))
		return 99;
	snprintf(dir, sizeof(dir), "%s/tls", state);

	CHECK(tls_store_open(&t, state, "gw.example") == 0, "first open generates");
	tls_cert_info(t, &a);
	CHECK(!a.uploaded, "generated");
	CHECK(strstr(a.subject, "CN=gw.example"), "subject %s", a.subject);
	CHECK(strcmp(a.subject, a.issuer) == 0, "self-signed: issuer %s", a.issuer);
	CHECK(strlen(a.sha256) == 95 && a.sha256[2] == ':', "fingerprint %s", a.sha256);
	CHECK(a.not_after - a.not_before > 9LL * 365 * DAY, "valid for years");
	CHECK(a.not_before <= time(NULL), "valid now");
	CHECK(file_mode(dir, NULL) == 0700, "tls/ is 0700 (%o)", file_mode(dir, NULL));
	CHECK(file_mode(dir, "key.pem") == 0600 && file_mode(dir, "cert.pem") == 0600,
	      "key.pem and cert.pem are 0600");

	CHECK(tls_store_open(&t2, state, "other-name") == 0, "second open");
	tls_cert_info(t2, &b);
	CHECK(strcmp(a.sha256, b.sha256) == 0, "same certificate after a restart");
	tls_store_close(t2);

	tls_on_change(t, count_change, NULL);
	test_uploads(t, state, dir);
	tls_store_close(t);

	/* A corrupt generated pair is replaced, not fatal. */
	{
		char path[128];
		FILE *f;

		snprintf(path, sizeof(path), "%s/cert.pem", dir);
		f = fopen(path, "w");
		fputs("broken\n", f);
		fclose(f);
		t = NULL;
		CHECK(tls_store_open(&t, state, "gw.example") == 0, "open with a broken cert.pem");
		tls_cert_info(t, &b);
		CHECK(strcmp(a.sha256, b.sha256) != 0, "a new pair was generated");
		tls_store_close(t);
	}

	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state);
		if (system(cmd) != 0)
			return 99;
	}
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
