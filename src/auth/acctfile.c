/* The accounts as JSON: the file <state_dir>/accounts (with the lockout
 * counters) and the array of a backup (without them). One checker reads
 * both, so a restore is held to what the daemon itself writes. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth_priv.h"
#include "common/log.h"

#define FILE_FORMAT "upsgate-accounts"
#define FILE_VERSION 1
#define TIME_MAX_S ((json_int_t)1 << 40)        /* far beyond any real date */

json_t *acc_to_json(const struct account *acc, bool with_lock)
{
	json_t *o = json_pack("{s:s, s:s, s:b, s:I}", "name", acc->name, "role", role_name(acc->role),
			      "must_change", acc->must_change, "password_changed",
			      (json_int_t)acc->password_changed);

	if (!o)
		return NULL;
	if (acc->initial)
		json_object_set_new(o, "initial", json_true());
	else
		json_object_set_new(o, "hash", json_string(acc->hash));
	if (with_lock) {
		json_object_set_new(o, "failures", json_integer(acc->lock.failures));
		json_object_set_new(o, "locked_until", json_integer(acc->lock.locked_until));
	}
	return o;
}

static void add_error(json_t *errors, const char *where, const char *field, const char *reason)
{
	char key[96];

	if (field)
		snprintf(key, sizeof(key), "%s.%s", where, field);
	else
		snprintf(key, sizeof(key), "%s", where);
	json_array_append_new(errors, json_pack("{s:s, s:s}", "key", key, "reason", reason));
}

static bool known_key(const char *key, bool with_lock)
{
	static const char *const keys[] = { "name", "role", "hash", "initial", "must_change",
					    "password_changed", NULL };

	for (size_t i = 0; keys[i]; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return with_lock && (strcmp(key, "failures") == 0 || strcmp(key, "locked_until") == 0);
}

/* An optional integer member in [0, max]; false (and an error) if bad. */
static bool opt_int(const json_t *obj, const char *field, json_int_t max, const char *where,
		    json_t *errors, json_int_t *out)
{
	const json_t *v = json_object_get(obj, field);

	*out = 0;
	if (!v)
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max) {
		add_error(errors, where, field, "must be a whole number, 0 or more");
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

static bool opt_bool(const json_t *obj, const char *field, const char *where, json_t *errors,
		     bool *out)
{
	const json_t *v = json_object_get(obj, field);

	*out = false;
	if (!v)
		return true;
	if (!json_is_boolean(v)) {
		add_error(errors, where, field, "must be true or false");
		return false;
	}
	*out = json_is_true(v);
	return true;
}

static bool check_name_role(const json_t *obj, const char *where, json_t *errors,
			    struct account *out)
{
	const char *name = json_string_value(json_object_get(obj, "name"));
	const char *role = json_string_value(json_object_get(obj, "role"));
	const char *why = name ? acc_name_check(name) : "missing (a text)";
	int r;

	if (why) {
		add_error(errors, where, "name", why);
		return false;
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	r = role ? role_from_name(role) : -EINVAL;
	if (r < 0 || r == ROLE_NONE) {
		add_error(errors, where, "role", "must be admin, read-write or read-only");
		return false;
	}
	out->role = (enum role)r;
	if ((out->role == ROLE_ADMIN) != (strcmp(name, "admin") == 0)) {
		add_error(errors, where, "role", "the account admin, and only it, has the role admin");
		return false;
	}
	return true;
}

static bool check_secret(const json_t *obj, const char *where, json_t *errors, struct account *out)
{
	const json_t *hash = json_object_get(obj, "hash");
	const char *why;

	if (!opt_bool(obj, "initial", where, errors, &out->initial))
		return false;
	if (out->initial) {
		if (out->role != ROLE_ADMIN || hash) {
			add_error(errors, where, "initial",
				  "only admin may be on the initial password, and then without a hash");
			return false;
		}
		out->must_change = true;
		return true;
	}
	why = json_is_string(hash) ? pw_hash_check(json_string_value(hash)) : "missing (a text)";
	if (why) {
		add_error(errors, where, "hash", why);
		return false;
	}
	snprintf(out->hash, sizeof(out->hash), "%s", json_string_value(hash));
	return true;
}

int acc_from_json(const json_t *obj, const char *where, bool with_lock, json_t *errors,
		  struct account *out)
{
	json_int_t changed = 0, failures = 0, locked = 0;
	const char *key;
	json_t *value;
	bool ok = true, must_change = false;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(obj)) {
		add_error(errors, where, NULL, "must be an object");
		return -EINVAL;
	}
	json_object_foreach((json_t *)obj, key, value) {
		if (!known_key(key, with_lock)) {
			add_error(errors, where, key, "unknown member");
			ok = false;
		}
	}
	if (!ok || !check_name_role(obj, where, errors, out))
		return -EINVAL;
	ok = opt_bool(obj, "must_change", where, errors, &must_change);
	ok = opt_int(obj, "password_changed", TIME_MAX_S, where, errors, &changed) && ok;
	ok = opt_int(obj, "failures", 1000, where, errors, &failures) && ok;
	ok = opt_int(obj, "locked_until", TIME_MAX_S, where, errors, &locked) && ok;
	ok = check_secret(obj, where, errors, out) && ok;
	if (!ok)
		return -EINVAL;
	out->must_change = out->must_change || must_change;
	out->password_changed = changed;
	out->lock.failures = (unsigned)failures;
	out->lock.locked_until = locked;
	return 0;
}

int acc_table_from_json(const json_t *arr, const char *where, bool with_lock, json_t *errors,
			struct account *out, size_t *n)
{
	struct account tmp[AUTH_MAX_USERS + 1];
	size_t count = 0, others = 1;
	bool ok = true, admin = false;
	char at[64];

	if (!json_is_array(arr)) {
		add_error(errors, where, NULL, "must be an array of accounts");
		return -EINVAL;
	}
	if (json_array_size(arr) == 0 || json_array_size(arr) > AUTH_MAX_USERS + 1) {
		add_error(errors, where, NULL, "admin and at most 8 other accounts");
		return -EINVAL;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		snprintf(at, sizeof(at), "%s[%zu]", where, i);
		if (acc_from_json(json_array_get(arr, i), at, with_lock, errors, &tmp[i]) < 0) {
			ok = false;
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(tmp[j].name, tmp[i].name) == 0) {
				add_error(errors, at, "name", "appears twice");
				ok = false;
			}
		admin = admin || tmp[i].role == ROLE_ADMIN;
		count++;
	}
	if (ok && !admin) {
		add_error(errors, where, NULL, "the account admin is missing");
		ok = false;
	}
	if (!ok)
		return -EINVAL;
	for (size_t i = 0; i < count; i++)
		out[tmp[i].role == ROLE_ADMIN ? 0 : others++] = tmp[i];
	*n = count;
	explicit_bzero(tmp, sizeof(tmp));
	return 0;
}

/* --- The file ---------------------------------------------------------- */

static char *read_file_capped(const char *path, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0)
		goto out;
	if (!S_ISREG(st.st_mode) || st.st_size > AUTH_FILE_MAX) {
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		goto out;
	}
	if (st.st_mode & 077)
		log_warning("%s: readable by others (mode %03o); it is rewritten 0600 at the next change",
			    path, (unsigned)(st.st_mode & 0777));
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto out;
	got = read(fd, buf, (size_t)st.st_size);
	if (got != st.st_size) {
		free(buf);
		buf = NULL;
		errno = EIO;
		goto out;
	}
	*len = (size_t)got;
out:
	close(fd);
	return buf;
}

static void log_errors(const char *path, const json_t *errors)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
		log_error("%s: %s: %s", path, json_string_value(json_object_get(e, "key")),
			  json_string_value(json_object_get(e, "reason")));
}

int acctfile_load(const char *path, struct account *out, size_t *n)
{
	json_t *root, *errors = json_array();
	json_error_t jerr;
	size_t len = 0;
	char *text = read_file_capped(path, &len);
	int r = -EBADMSG;

	if (!text) {
		r = -errno;
		json_decref(errors);
		if (r != -ENOENT)
			log_error("%s: cannot read: %s", path, strerror(-r));
		return r;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!root)
		log_error("%s:%d: not valid JSON: %s", path, jerr.line, jerr.text);
	else if (!json_is_string(json_object_get(root, "format")) ||
		 strcmp(json_string_value(json_object_get(root, "format")), FILE_FORMAT) != 0 ||
		 json_integer_value(json_object_get(root, "version")) != FILE_VERSION)
		log_error("%s: not an accounts file of version %d", path, FILE_VERSION);
	else if (acc_table_from_json(json_object_get(root, "accounts"), "accounts", true, errors,
				     out, n) < 0)
		log_errors(path, errors);
	else
		r = 0;
	json_decref(root);
	json_decref(errors);
	return r;
}

int acctfile_save(const char *path, const struct account *acc, size_t n)
{
	json_t *arr = json_array(), *root;
	char *text;
	int r;

	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, acc_to_json(&acc[i], true));
	root = json_pack("{s:s, s:i, s:o}", "format", FILE_FORMAT, "version", FILE_VERSION,
			 "accounts", arr);
	text = root ? json_dumps(root, JSON_INDENT(1)) : NULL;
	json_decref(root);
	if (!text)
		return -ENOMEM;
	r = file_write_atomic(path, text, strlen(text), 0600);
	explicit_bzero(text, strlen(text));
	free(text);
	return r;
}
