/* The HTTPS key and certificate, kept in <state_dir>/tls/:
 * a generated key and self-signed certificate (made at first start), and
 * optionally an uploaded one that replaces it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tls_store;

struct tls_cert_info {
	bool uploaded;                  /* false: the generated one */
	char subject[256], issuer[256];
	int64_t not_before, not_after;  /* unix seconds */
	char sha256[96];                /* fingerprint, "AB:CD:..." */
};

/* Loads the current pair, generating one when there is none. */
int tls_store_open(struct tls_store **out, const char *state_dir, const char *hostname);
void tls_store_close(struct tls_store *t);      /* accepts NULL */

/* PEM text of the current key and certificate (for MHD). */
const char *tls_key_pem(const struct tls_store *t);
const char *tls_cert_pem(const struct tls_store *t);
void tls_cert_info(const struct tls_store *t, struct tls_cert_info *out);

#define TLS_UPLOAD_MAX 8192
/* Validates [pem] (a private key and a certificate, at most
 * TLS_UPLOAD_MAX bytes): both parse, the key matches the certificate,
 * the certificate is valid now. On failure returns -EINVAL with the
 * reason in [why] and changes nothing; on success it replaces the
 * current pair (written atomically) and takes effect on new connections. */
int tls_upload(struct tls_store *t, const char *pem, size_t len, char *why, size_t whylen);
/* Back to the generated pair. */
int tls_remove_upload(struct tls_store *t);
/* Called when the pair changed, so the server can restart its HTTPS
 * daemon with it. */
void tls_on_change(struct tls_store *t, void (*fn)(void *userdata), void *userdata);

/* The GnuTLS priority string: TLS 1.2 and 1.3 only, AEAD suites with
 * forward secrecy (Debian's "NORMAL" still takes TLS 1.0). */
#define TLS_PRIORITIES "SECURE256:+SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:" \
	"-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:" \
	"-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:-RSA:-DHE-RSA:%SERVER_PRECEDENCE"
