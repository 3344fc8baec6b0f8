/* Inside tls.c: a private key with its certificate chain, parsed and
 * checked (tls_pair.c), and the self-signed pair made at first start
 * (tls_gen.c). */
#pragma once

#include <gnutls/x509.h>
#include <stddef.h>

#include "web/tls.h"

#define TLS_CHAIN_MAX 8

struct tls_pair {
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t certs[TLS_CHAIN_MAX];   /* [0] is the server's */
	unsigned n_certs;
};

/* Parses [pem] (key and certificates in any order) and checks that the
 * key matches the first certificate and that it is valid at [now].
 * 0, or -EINVAL with the reason for people in [why]. */
int tls_pair_parse(struct tls_pair *p, const char *pem, size_t len, int64_t now,
		   char *why, size_t whylen);
void tls_pair_clear(struct tls_pair *p);
/* The key and the chain as PEM text (malloc'd). 0 or -errno. */
int tls_pair_export(const struct tls_pair *p, char **key_pem, char **cert_pem);
void tls_pair_info(const struct tls_pair *p, struct tls_cert_info *out);

/* A new ECDSA P-256 key and a self-signed certificate for [cn] with the
 * machine's names and loopback addresses, valid ten years. */
int tls_generate(const char *cn, char **key_pem, char **cert_pem);
