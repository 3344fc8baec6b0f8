/* The web interface's languages: web.root/lang/CODE.json files, listed
 * for GET /api/v1/languages (the login dialog is translated before
 * anyone logs in, so the list is public). Each file's meta.name is read
 * once and kept with the file's identity (inode, size, mtime): a request
 * costs a directory read, and a file is parsed again only when it
 * changes. Private to src/web. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define LANG_MAX_FILES 64                       /* the first 64 codes in order */
#define LANG_FILE_MAX (2 * 1024 * 1024)         /* bytes of one language file */
#define LANG_CODE_MAX 12                        /* "abc-12345678" */
#define LANG_NAME_MAX 64                        /* bytes of meta.name */

/* The length of the language code of [filename] when it is
 * "CODE.json" and CODE a tag as [a-z]{2,3}(-[A-Za-z0-9]{2,8})? ("fr",
 * "pt-BR", "zh-Hant"), else 0. */
size_t lang_file_code(const char *filename);

struct lang_entry {
	char code[LANG_CODE_MAX + 1];
	char name[LANG_NAME_MAX + 1];           /* "" when the file was refused */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

struct lang_cache {
	struct lang_entry e[LANG_MAX_FILES];
	size_t n;
	bool too_many_logged;
};

/* {"languages":[{"code","name"},...]} sorted by code, from the lang
 * directory below [root_fd] (no symbolic link followed; none when
 * [root_fd] is -1 or there is no such directory). A file that does not
 * parse or lacks meta.name is left out with a warning, once for as long
 * as it does not change. NULL when out of memory. */
json_t *lang_list(struct lang_cache *c, int root_fd);
