/* Static files from web.root (GET and HEAD, every path outside /api/).
 * A path is checked as text first (no "..", no hidden names, no
 * backslash or control character), then opened one component at a
 * time below the root's directory fd with O_NOFOLLOW: no symbolic link
 * is ever followed, inside the root or out of it. */
#include "web/web_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"

#define STATIC_PATH_MAX 1024
#define LONG_CACHE "public, max-age=31536000, immutable"

struct mime {
	const char *ext, *type;
};

static const struct mime mime_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "json", "application/json" },
	{ "map", "application/json" },
	{ "webmanifest", "application/manifest+json" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "csv", "text/csv; charset=utf-8" },
	{ "xml", "application/xml" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "ico", "image/x-icon" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "ttf", "font/ttf" },
	{ "wasm", "application/wasm" },
	{ "pdf", "application/pdf" },
	{ NULL, NULL }
};

static const char *mime_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	for (const struct mime *m = mime_types; dot && m->ext; m++)
		if (strcasecmp(dot + 1, m->ext) == 0)
			return m->type;
	return "application/octet-stream";
}

/* "app.3f9a1c2e.js": a build that puts a content hash in the name lets
 * browsers keep the file for good. */
static bool is_hashed_name(const char *name)
{
	const char *dot = strchr(name, '.');

	while (dot) {
		const char *next = strchr(dot + 1, '.');
		size_t n = next ? (size_t)(next - dot - 1) : 0;

		if (n >= 8 && strspn(dot + 1, "0123456789abcdef") == n)
			return true;
		dot = next;
	}
	return false;
}

int web_static_open_root(struct web *w)
{
	const char *root = web_settings_str(w, SET_WEB_ROOT);
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		int r = -errno;

		log_warning("web: web.root %s: %s; the API works, static files answer 404",
			    root, strerror(-r));
		return r;
	}
	w->root_fd = fd;
	return 0;
}

int web_static_path_ok(const char *path)
{
	const char *seg;

	if (path[0] != '/' || strlen(path) > STATIC_PATH_MAX)
		return -EINVAL;
	for (const char *c = path; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '\\')
			return -EINVAL;
	/* Every component: not empty (but the last), not hidden, not . or .. */
	for (seg = path + 1; *seg; ) {
		const char *end = strchrnul(seg, '/');

		if (seg[0] == '.' || (end == seg && *end == '/'))
			return -EINVAL;
		seg = *end ? end + 1 : end;
	}
	return 0;
}

/* Opens [rel] below [root] with no symbolic link anywhere. fd or -errno. */
static int open_beneath(int root, const char *rel)
{
	char buf[STATIC_PATH_MAX + 16];
	char *seg, *slash;
	int dir = root, fd;

	snprintf(buf, sizeof(buf), "%s", rel);
	for (seg = buf; (slash = strchr(seg, '/')); seg = slash + 1) {
		*slash = '\0';
		fd = openat(dir, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dir != root)
			close(dir);
		if (fd < 0)
			return -errno;
		dir = fd;
	}
	fd = openat(dir, seg, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		fd = -errno;
	if (dir != root)
		close(dir);
	return fd;
}

static int open_regular(int root, const char *rel, struct stat *st)
{
	int fd = open_beneath(root, rel);

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

static bool accepts_gzip(const struct web_request *r)
{
	const char *ae = web_header(r, "Accept-Encoding");
	const char *p = ae ? strstr(ae, "gzip") : NULL;
	size_t zeros;

	if (!p)
		return false;
	p += strspn(p + 4, " ") + 4;
	if (*p != ';')
		return true;
	p += strspn(p + 1, " ") + 1;
	if (strncmp(p, "q=0", 3) != 0)
		return true;
	/* "gzip;q=0" (or 0.0, 0.000) refuses it. */
	zeros = strspn(p + 3, ".0");
	return p[3 + zeros] != '\0' && p[3 + zeros] != ',' && p[3 + zeros] != ' ';
}

static void reply_file(struct web_request *r, const char *name, int fd, const struct stat *st,
		       bool gzip)
{
	const char *inm = web_header(r, "If-None-Match");
	struct MHD_Response *resp;
	char etag[64];

	snprintf(etag, sizeof(etag), "\"%llx-%llx%s\"", (unsigned long long)st->st_size,
		 (unsigned long long)st->st_mtim.tv_sec * 1000ULL + st->st_mtim.tv_nsec / 1000000,
		 gzip ? "-gz" : "");
	if (inm && strstr(inm, etag)) {
		close(fd);
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		resp = MHD_create_response_from_fd((uint64_t)st->st_size, fd);
		if (!resp)
			close(fd);
		else
			r->reply_len = (size_t)st->st_size;
	}
	if (!resp) {
		web_reply_response(r, 500, NULL);
		return;
	}
	MHD_add_response_header(resp, "Content-Type", mime_type(name));
	MHD_add_response_header(resp, "ETag", etag);
	MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	MHD_add_response_header(resp, "Cache-Control", is_hashed_name(name) ? LONG_CACHE : "no-cache");
	if (gzip)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	web_reply_response(r, inm && strstr(inm, etag) ? 304 : 200, resp);
}

void web_static_serve(struct web_request *r)
{
	char rel[STATIC_PATH_MAX + 16], gz[STATIC_PATH_MAX + 20];
	const char *name;
	struct stat st;
	int fd = -1;

	if (r->w->root_fd < 0) {
		web_reply_error(r, 404, "not_found", "no web interface installed");
		return;
	}
	if (web_static_path_ok(r->path) < 0) {
		web_reply_error(r, 404, "not_found", "no such file");
		return;
	}
	snprintf(rel, sizeof(rel), "%s%s", r->path + 1,
		 r->path[strlen(r->path) - 1] == '/' ? "index.html" : "");
	name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	if (accepts_gzip(r)) {
		snprintf(gz, sizeof(gz), "%s.gz", rel);
		fd = open_regular(r->w->root_fd, gz, &st);
		if (fd >= 0) {
			reply_file(r, name, fd, &st, true);
			return;
		}
	}
	fd = open_regular(r->w->root_fd, rel, &st);
	if (fd < 0) {
		web_reply_error(r, 404, "not_found", "no such file");
		return;
	}
	reply_file(r, name, fd, &st, false);
}
