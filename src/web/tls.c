/* The HTTPS key and certificate in <state_dir>/tls/ (0700):
 *   key.pem, cert.pem   the generated pair, made once at first start;
 *   uploaded.pem        an uploaded pair (key then chain), when there is one.
 * Every file is written atomically (temp file, fsync, rename, fsync of
 * the directory) with mode 0600. */
#include "web/tls.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "web/tls_pair.h"

#define TLS_FILE_MAX (64 * 1024)

struct tls_store {
	int dir_fd;
	char *dir;
	char *cn;
	char *key_pem, *cert_pem;
	struct tls_cert_info info;
	void (*on_change)(void *userdata);
	void *userdata;
};

static int write_atomic(int dir_fd, const char *name, const char *data, size_t len)
{
	char tmp[64];
	ssize_t n;
	int fd, r = 0;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	(void)unlinkat(dir_fd, tmp, 0);
	fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	for (size_t done = 0; done < len; done += (size_t)n) {
		n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n < 0) {
			r = -errno;
			break;
		}
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dir_fd, tmp, dir_fd, name) < 0)
		r = -errno;
	if (r == 0 && fsync(dir_fd) < 0)
		r = -errno;
	if (r < 0)
		(void)unlinkat(dir_fd, tmp, 0);
	return r;
}

/* The whole file, NUL-terminated; -ENOENT when absent. */
static int read_file(int dir_fd, const char *name, char **out, size_t *len)
{
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -errno;
	buf = malloc(TLS_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < TLS_FILE_MAX && (n = read(fd, buf + got, TLS_FILE_MAX - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

/* Makes [pem] the current pair when it passes every check. */
static int use_pair(struct tls_store *t, const char *pem, size_t len, bool uploaded,
		    char *why, size_t whylen)
{
	struct tls_pair p;
	char *key, *cert;
	int r;

	r = tls_pair_parse(&p, pem, len, time(NULL), why, whylen);
	if (r < 0)
		return r;
	r = tls_pair_export(&p, &key, &cert);
	if (r < 0) {
		tls_pair_clear(&p);
		snprintf(why, whylen, "out of memory");
		return r;
	}
	tls_pair_info(&p, &t->info);
	t->info.uploaded = uploaded;
	tls_pair_clear(&p);
	free(t->key_pem);
	free(t->cert_pem);
	t->key_pem = key;
	t->cert_pem = cert;
	return 0;
}

static int load_file(struct tls_store *t, const char *name, bool uploaded)
{
	char why[256];
	char *text;
	size_t len;
	int r;

	r = read_file(t->dir_fd, name, &text, &len);
	if (r < 0)
		return r;
	r = use_pair(t, text, len, uploaded, why, sizeof(why));
	free(text);
	if (r < 0)
		log_warning("TLS: %s/%s is not used: %s", t->dir, name, why);
	return r;
}

static int load_generated(struct tls_store *t)
{
	char *key = NULL, *cert = NULL, *both = NULL;
	size_t kl, cl;
	int r;

	r = read_file(t->dir_fd, "key.pem", &key, &kl);
	if (r == 0)
		r = read_file(t->dir_fd, "cert.pem", &cert, &cl);
	if (r == 0) {
		both = malloc(kl + cl + 1);
		r = both ? 0 : -ENOMEM;
	}
	if (r == 0) {
		char why[256];

		memcpy(both, key, kl);
		memcpy(both + kl, cert, cl + 1);
		r = use_pair(t, both, kl + cl, false, why, sizeof(why));
		if (r < 0)
			log_warning("TLS: the key and certificate in %s are not used: %s", t->dir, why);
	}
	free(key);
	free(cert);
	free(both);
	return r;
}

static int generate(struct tls_store *t)
{
	char *key, *cert;
	int r;

	r = tls_generate(t->cn, &key, &cert);
	if (r < 0) {
		log_error("TLS: cannot generate a key and certificate: %s", strerror(-r));
		return r;
	}
	r = write_atomic(t->dir_fd, "key.pem", key, strlen(key));
	if (r == 0)
		r = write_atomic(t->dir_fd, "cert.pem", cert, strlen(cert));
	free(key);
	free(cert);
	if (r < 0) {
		log_error("TLS: cannot write the key and certificate in %s: %s", t->dir, strerror(-r));
		return r;
	}
	r = load_generated(t);
	if (r == 0)
		log_notice("TLS: generated a self-signed certificate for %s (SHA-256 %s)",
			   t->cn, t->info.sha256);
	return r;
}

static int open_dir(struct tls_store *t, const char *state_dir)
{
	int r;

	if (asprintf(&t->dir, "%s/tls", state_dir) < 0) {
		t->dir = NULL;
		return -ENOMEM;
	}
	if (mkdir(t->dir, 0700) < 0 && errno != EEXIST)
		goto fail;
	t->dir_fd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (t->dir_fd < 0 || fchmod(t->dir_fd, 0700) < 0)
		goto fail;
	return 0;
fail:
	r = -errno;
	log_error("TLS: %s: %s", t->dir, strerror(-r));
	return r;
}

int tls_store_open(struct tls_store **out, const char *state_dir, const char *hostname)
{
	char host[256] = "upsgate";
	struct tls_store *t;
	int r;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->dir_fd = -1;
	if (!hostname || !*hostname) {
		if (gethostname(host, sizeof(host) - 1) < 0 || !host[0])
			snprintf(host, sizeof(host), "upsgate");
		hostname = host;
	}
	t->cn = strdup(hostname);
	r = t->cn ? open_dir(t, state_dir) : -ENOMEM;
	if (r < 0)
		goto fail;
	if (load_file(t, "uploaded.pem", true) == 0) {
		log_info("TLS: using the uploaded certificate %s", t->info.subject);
	} else {
		r = load_generated(t);
		if (r < 0)
			r = generate(t);
		if (r < 0)
			goto fail;
	}
	*out = t;
	return 0;
fail:
	tls_store_close(t);
	return r;
}

void tls_store_close(struct tls_store *t)
{
	if (!t)
		return;
	if (t->dir_fd >= 0)
		close(t->dir_fd);
	free(t->dir);
	free(t->cn);
	free(t->key_pem);
	free(t->cert_pem);
	free(t);
}

const char *tls_key_pem(const struct tls_store *t)
{
	return t->key_pem;
}

const char *tls_cert_pem(const struct tls_store *t)
{
	return t->cert_pem;
}

void tls_cert_info(const struct tls_store *t, struct tls_cert_info *out)
{
	*out = t->info;
}

static void changed(struct tls_store *t)
{
	if (t->on_change)
		t->on_change(t->userdata);
}

int tls_upload(struct tls_store *t, const char *pem, size_t len, char *why, size_t whylen)
{
	char *text = NULL, *old_key = t->key_pem, *old_cert = t->cert_pem;
	struct tls_cert_info old_info = t->info;
	int r;

	if (len > TLS_UPLOAD_MAX) {
		snprintf(why, whylen, "the file has %zu bytes: at most %d are accepted", len, TLS_UPLOAD_MAX);
		return -EINVAL;
	}
	if (memchr(pem, '\0', len)) {
		snprintf(why, whylen, "the file is not PEM text");
		return -EINVAL;
	}
	t->key_pem = t->cert_pem = NULL;
	r = use_pair(t, pem, len, true, why, whylen);
	if (r == 0 && asprintf(&text, "%s%s", t->key_pem, t->cert_pem) < 0) {
		text = NULL;
		r = -ENOMEM;
		snprintf(why, whylen, "out of memory");
	}
	if (r == 0) {
		r = write_atomic(t->dir_fd, "uploaded.pem", text, strlen(text));
		if (r < 0)
			snprintf(why, whylen, "cannot write %s/uploaded.pem: %s", t->dir, strerror(-r));
	}
	free(text);
	if (r < 0) {
		/* Nothing changes: the previous pair stays. */
		free(t->key_pem);
		free(t->cert_pem);
		t->key_pem = old_key;
		t->cert_pem = old_cert;
		t->info = old_info;
		return r == -ENOMEM ? r : -EINVAL;
	}
	free(old_key);
	free(old_cert);
	log_notice("TLS: certificate %s uploaded (SHA-256 %s)", t->info.subject, t->info.sha256);
	changed(t);
	return 0;
}

int tls_remove_upload(struct tls_store *t)
{
	int r;

	if (unlinkat(t->dir_fd, "uploaded.pem", 0) < 0)
		return -errno;
	(void)fsync(t->dir_fd);
	r = load_generated(t);
	if (r < 0)
		r = generate(t);
	if (r < 0)
		return r;
	log_notice("TLS: back to the generated certificate");
	changed(t);
	return 0;
}

void tls_on_change(struct tls_store *t, void (*fn)(void *userdata), void *userdata)
{
	t->on_change = fn;
	t->userdata = userdata;
}
