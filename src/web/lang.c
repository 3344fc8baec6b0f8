/* The language list: web.root/lang/CODE.json files and their meta.name,
 * read through the static server's root fd, never through a symbolic
 * link, with the count and size of what is read capped. */
#include "web/lang.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"

#define LANG_DIR "lang"
#define LANG_EXT ".json"

static size_t span(const char *s, bool (*in)(char c))
{
	size_t n = 0;

	while (s[n] && in(s[n]))
		n++;
	return n;
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_alnum(char c)
{
	return is_lower(c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

size_t lang_file_code(const char *filename)
{
	size_t len = span(filename, is_lower), sub;

	if (len < 2 || len > 3)
		return 0;
	if (filename[len] == '-') {
		sub = span(filename + len + 1, is_alnum);
		if (sub < 2 || sub > 8)
			return 0;
		len += 1 + sub;
	}
	return strcmp(filename + len, LANG_EXT) == 0 ? len : 0;
}

/* The codes of the directory's language files, sorted, the first
 * LANG_MAX_FILES of them; *total counts them all. */
static size_t read_codes(DIR *dir, char codes[][LANG_CODE_MAX + 1], size_t *total)
{
	struct dirent *de;
	size_t n = 0;

	*total = 0;
	while ((de = readdir(dir))) {
		size_t len = lang_file_code(de->d_name), at = 0;

		if (len == 0)
			continue;       /* also ".", "..", hidden and "_" names */
		(*total)++;
		while (at < n && strncmp(codes[at], de->d_name, LANG_CODE_MAX + 1) < 0)
			at++;
		if (at == LANG_MAX_FILES)
			continue;
		if (n < LANG_MAX_FILES)
			n++;
		memmove(codes[at + 1], codes[at], (n - 1 - at) * sizeof(codes[0]));
		memcpy(codes[at], de->d_name, len);
		codes[at][len] = '\0';
	}
	return n;
}

static bool same_file(const struct lang_entry *e, const struct stat *st)
{
	return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
	       e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* The file's text, at most LANG_FILE_MAX bytes; NULL with [why] set. */
static char *read_text(int dir, const char *file, size_t size, size_t *len, const char **why)
{
	char *buf;
	int fd;

	if (size > LANG_FILE_MAX) {
		*why = "is larger than 2 MiB";
		return NULL;
	}
	fd = openat(dir, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	buf = fd >= 0 ? malloc(size + 1) : NULL;
	*len = 0;
	while (buf && *len < size) {
		ssize_t got = read(fd, buf + *len, size - *len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		*len += (size_t)got;
	}
	if (fd >= 0)
		close(fd);
	if (!buf)
		*why = fd < 0 ? "cannot be opened" : "out of memory";
	return buf;
}

/* meta.name of the file into e->name; "" and a warning when refused. */
static void load_name(int dir, const char *file, const struct stat *st, struct lang_entry *e)
{
	const char *why = NULL, *name;
	json_error_t err;
	json_t *doc = NULL, *v;
	size_t len;
	char *text = read_text(dir, file, (size_t)st->st_size, &len, &why);

	e->name[0] = '\0';
	if (text) {
		doc = json_loadb(text, len, 0, &err);
		free(text);
		if (!doc)
			why = "is not JSON";
	}
	v = json_object_get(json_object_get(doc, "meta"), "name");
	name = json_string_value(v);
	if (doc && (!name || json_string_length(v) == 0 || json_string_length(v) > LANG_NAME_MAX ||
		    strlen(name) != json_string_length(v)))
		why = "has no meta.name (a text of 1 to 64 bytes)";
	for (const char *c = name; !why && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			why = "has a control character in meta.name";
	if (why)
		log_warning("web: language file %s/%s %s: it is not listed", LANG_DIR, file, why);
	else
		memcpy(e->name, name, strlen(name) + 1);
	json_decref(doc);
}

/* The entry of [code], from the cache when the file did not change. */
static bool entry_for(const struct lang_cache *c, int dir, const char *code,
		      struct lang_entry *out)
{
	char file[LANG_CODE_MAX + sizeof(LANG_EXT)];
	struct stat st;

	snprintf(file, sizeof(file), "%.*s%s", LANG_CODE_MAX, code, LANG_EXT);
	if (fstatat(dir, file, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return false;           /* gone, a link, or not a file: not a language */
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].code, code) == 0 && same_file(&c->e[i], &st)) {
			*out = c->e[i];
			return true;
		}
	}
	*out = (struct lang_entry) { .dev = st.st_dev, .ino = st.st_ino, .size = st.st_size,
				     .mtime = st.st_mtim };
	snprintf(out->code, sizeof(out->code), "%.*s", LANG_CODE_MAX, code);
	load_name(dir, file, &st, out);
	return true;
}

/* Refreshes the cache from the directory (an empty list without one). */
static void refresh(struct lang_cache *c, int root_fd)
{
	char codes[LANG_MAX_FILES][LANG_CODE_MAX + 1];
	struct lang_entry fresh[LANG_MAX_FILES];
	size_t n_codes = 0, total = 0, n = 0;
	int dir = root_fd < 0 ? -1 :
		  openat(root_fd, LANG_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = dir >= 0 ? fdopendir(dir) : NULL;

	if (dir >= 0 && !d)
		close(dir);
	if (d)
		n_codes = read_codes(d, codes, &total);
	if (total > LANG_MAX_FILES && !c->too_many_logged) {
		log_warning("web: %zu language files in %s/: only the first %d codes are listed",
			    total, LANG_DIR, LANG_MAX_FILES);
		c->too_many_logged = true;
	}
	for (size_t i = 0; i < n_codes; i++)
		if (entry_for(c, dirfd(d), codes[i], &fresh[n]))
			n++;
	if (d)
		closedir(d);
	memcpy(c->e, fresh, n * sizeof(fresh[0]));
	c->n = n;
}

json_t *lang_list(struct lang_cache *c, int root_fd)
{
	json_t *list = json_array();

	refresh(c, root_fd);
	for (size_t i = 0; list && i < c->n; i++) {
		if (c->e[i].name[0] &&
		    json_array_append_new(list, json_pack("{s:s,s:s}", "code", c->e[i].code,
							  "name", c->e[i].name)) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list ? json_pack("{s:o}", "languages", list) : NULL;
}
