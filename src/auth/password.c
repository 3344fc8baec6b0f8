/* Passwords: the policy of §11.6, yescrypt hashing (libcrypt), the
 * initial admin password and random tokens. Hashing and verifying run on
 * pool threads only. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth_priv.h"
#include "common/log.h"

#define PW_MIN 12
#define PW_SPECIALS "!%#@^*"
#define YESCRYPT_MAX_COST 8     /* 128 MiB, ~8x the default: a cap on imported hashes */
#define INITIAL_RANDOM_LEN 12
#define ARPHRD_ETHER_TYPE 1

/* "'$' is not allowed: ..." for every printable ASCII character outside
 * the policy; the string literal of the character gives the quotes. */
#define NOT_ALLOWED(ch) [ch] = #ch " is not allowed: the special characters are ! % # @ ^ *"
static const char *const forbidden_reason[128] = {
	[' '] = "spaces are not allowed",
	['"'] = "'\"' is not allowed: the special characters are ! % # @ ^ *",
	['\''] = "the quote (') is not allowed: the special characters are ! % # @ ^ *",
	['\\'] = "the backslash (\\) is not allowed: the special characters are ! % # @ ^ *",
	NOT_ALLOWED('$'), NOT_ALLOWED('&'), NOT_ALLOWED('('), NOT_ALLOWED(')'),
	NOT_ALLOWED('+'), NOT_ALLOWED(','), NOT_ALLOWED('-'), NOT_ALLOWED('.'),
	NOT_ALLOWED('/'), NOT_ALLOWED(':'), NOT_ALLOWED(';'), NOT_ALLOWED('<'),
	NOT_ALLOWED('='), NOT_ALLOWED('>'), NOT_ALLOWED('?'), NOT_ALLOWED('['),
	NOT_ALLOWED(']'), NOT_ALLOWED('_'), NOT_ALLOWED('`'), NOT_ALLOWED('{'),
	NOT_ALLOWED('|'), NOT_ALLOWED('}'), NOT_ALLOWED('~'),
};

static bool is_special(char c)
{
	return c && strchr(PW_SPECIALS, c);
}

static const char *char_reason(unsigned char c)
{
	if (c < 128 && forbidden_reason[c])
		return forbidden_reason[c];
	return "only letters A-Z and a-z, digits 0-9 and ! % # @ ^ * are allowed "
	       "(no accented letters, control characters or other symbols)";
}

const char *auth_password_policy(const char *password)
{
	bool upper = false, lower = false, digit = false, special = false;
	size_t len = 0;

	if (!password || !*password)
		return "a password is required";
	for (const char *p = password; *p; p++, len++) {
		unsigned char c = (unsigned char)*p;

		if (len >= AUTH_PASSWORD_MAX)
			return "at most 128 characters";
		if (c >= 'A' && c <= 'Z')
			upper = true;
		else if (c >= 'a' && c <= 'z')
			lower = true;
		else if (c >= '0' && c <= '9')
			digit = true;
		else if (is_special((char)c))
			special = true;
		else
			return char_reason(c);
	}
	if (len < PW_MIN)
		return "at least 12 characters";
	if (!upper)
		return "at least one uppercase letter (A-Z)";
	if (!lower)
		return "at least one lowercase letter (a-z)";
	if (!digit)
		return "at least one digit (0-9)";
	if (!special)
		return "at least one special character among ! % # @ ^ *";
	return NULL;
}

bool ct_equal(const char *a, const char *b, size_t len)
{
	volatile unsigned char diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return diff == 0;
}

int pw_salt(char *out, size_t len)
{
	if (!crypt_gensalt_rn("$y$", 0, NULL, 0, out, (int)len))
		return errno ? -errno : -EINVAL;
	return 0;
}

int pw_hash(const char *password, const char *setting, char *out, size_t len)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *h;
	int r = 0;

	if (!cd)
		return -ENOMEM;
	h = crypt_rn(password, setting, cd, sizeof(*cd));
	if (!h || h[0] == '*')
		r = -EINVAL;
	else if (strlen(h) >= len)
		r = -ENAMETOOLONG;
	else
		memcpy(out, h, strlen(h) + 1);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return r;
}

bool pw_verify(const char *password, const char *hash)
{
	char out[CRYPT_OUTPUT_SIZE];
	size_t n = strlen(hash);
	bool ok;

	if (pw_hash(password, hash, out, sizeof(out)) < 0)
		return false;
	ok = strlen(out) == n && ct_equal(out, hash, n);
	explicit_bzero(out, sizeof(out));
	return ok;
}

/* "$y$" PARAMS "$" SALT "$" HASH with the parameters crypt_gensalt makes
 * for costs 1 to YESCRYPT_MAX_COST: a backup cannot smuggle in a hash
 * whose cost would tie up the pool at every login. */
static bool yescrypt_params_ok(const char *params, size_t len)
{
	static const char zero_salt[16];

	for (unsigned long cost = 1; cost <= YESCRYPT_MAX_COST; cost++) {
		char setting[CRYPT_GENSALT_OUTPUT_SIZE];

		if (!crypt_gensalt_rn("$y$", cost, zero_salt, sizeof(zero_salt), setting,
				      sizeof(setting)))
			return false;
		if (strncmp(setting + 3, params, len) == 0 && setting[3 + len] == '$')
			return true;
	}
	return false;
}

static bool b64_field(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '/')
			return false;
	return len > 0;
}

const char *pw_hash_check(const char *hash)
{
	const char *params, *salt, *sum;

	if (!hash || strlen(hash) >= AUTH_HASH_MAX)
		return "not a password hash";
	if (strncmp(hash, "$y$", 3) != 0)
		return "only yescrypt hashes (\"$y$...\") are accepted";
	params = hash + 3;
	salt = strchr(params, '$');
	sum = salt ? strchr(salt + 1, '$') : NULL;
	if (!salt || !sum || strchr(sum + 1, '$'))
		return "a yescrypt hash has the form $y$PARAMS$SALT$HASH";
	salt++;
	sum++;
	if (!b64_field(params, (size_t)(salt - 1 - params)) || !b64_field(salt, (size_t)(sum - 1 - salt)) ||
	    strlen(sum) != 43 || !b64_field(sum, 43))
		return "a yescrypt hash has the form $y$PARAMS$SALT$HASH";
	if (!yescrypt_params_ok(params, (size_t)(salt - 1 - params)))
		return "yescrypt parameters out of range (cost 1 to 8)";
	if (crypt_checksalt(hash) != CRYPT_SALT_OK)
		return "not a valid yescrypt setting";
	return NULL;
}

int random_token(char *hex, size_t len)
{
	unsigned char raw[AUTH_TOKEN_LEN / 2];

	if (len < AUTH_TOKEN_LEN + 1)
		return -EINVAL;
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -EIO;
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	explicit_bzero(raw, sizeof(raw));
	return 0;
}

/* --- The initial admin password ------------------------------------ */

static int read_small(const char *dir, const char *name, char *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

struct nic {
	char name[64];
	long ifindex;
	bool physical;
	unsigned char mac[6];
};

/* An Ethernet interface (ARPHRD_ETHER) with a non-zero MAC address. */
static bool nic_read(const char *root, const char *name, struct nic *n)
{
	char dir[384], buf[64], link[448];
	unsigned mac[6];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	if (read_small(dir, "type", buf, sizeof(buf)) < 0 || atoi(buf) != ARPHRD_ETHER_TYPE)
		return false;
	if (read_small(dir, "address", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%2x:%2x:%2x:%2x:%2x:%2x", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4],
		   &mac[5]) != 6)
		return false;
	if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0)
		return false;
	if (read_small(dir, "ifindex", buf, sizeof(buf)) < 0)
		return false;
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->ifindex = atol(buf);
	snprintf(link, sizeof(link), "%s/device", dir);
	n->physical = stat(link, &st) == 0;
	for (int i = 0; i < 6; i++)
		n->mac[i] = (unsigned char)mac[i];
	return true;
}

/* "First" = the lowest ifindex among physical Ethernet devices (with a
 * device link), else among virtual ones: stable across boots on one box. */
static bool nic_better(const struct nic *a, const struct nic *b)
{
	if (a->physical != b->physical)
		return a->physical;
	return a->ifindex < b->ifindex;
}

int pw_initial_from(const char *sysfs_net, char *buf, size_t len, char *ifname, size_t iflen)
{
	struct nic best = { .ifindex = -1 }, cur;
	struct dirent *de;
	DIR *d = opendir(sysfs_net);

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(cur.name))
			continue;
		if (nic_read(sysfs_net, de->d_name, &cur) && (best.ifindex < 0 || nic_better(&cur, &best)))
			best = cur;
	}
	closedir(d);
	if (best.ifindex < 0)
		return -ENODEV;
	if (len < 7)
		return -ENOBUFS;
	snprintf(buf, len, "%02X%02X%02X", best.mac[3], best.mac[4], best.mac[5]);
	if (ifname)
		snprintf(ifname, iflen, "%s", best.name);
	return 0;
}

int auth_initial_password(char *buf, size_t len)
{
	return pw_initial_from("/sys/class/net", buf, len, NULL, 0);
}

static bool initial_file_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 6 || n >= AUTH_INITIAL_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

/* Without Ethernet: a random password kept in <state_dir>/initial-password
 * (0600), made once so that it stays the same across restarts. */
static int initial_from_file(struct auth *a, const char *path)
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
	unsigned char raw[64];
	size_t n = 0;
	int r;

	if (read_small(a->state_dir, "initial-password", a->initial, sizeof(a->initial)) == 0) {
		if (initial_file_ok(a->initial))
			return 0;
		log_error("%s: not a password of 6 to 15 letters and digits; remove it to get a new one",
			  path);
		return -EBADMSG;
	}
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -EIO;
	for (size_t i = 0; i < sizeof(raw) && n < INITIAL_RANDOM_LEN; i++)
		if (raw[i] < 256 - 256 % (sizeof(alphabet) - 1))       /* no modulo bias */
			a->initial[n++] = alphabet[raw[i] % (sizeof(alphabet) - 1)];
	explicit_bzero(raw, sizeof(raw));
	if (n < INITIAL_RANDOM_LEN)
		return -EIO;
	a->initial[n] = 0;
	r = file_write_atomic(path, a->initial, n, 0600);
	if (r < 0)
		log_error("cannot write %s: %s", path, strerror(-r));
	return r;
}

int pw_initial_load(struct auth *a)
{
	char ifname[64], path[sizeof(a->state_dir) + 20];
	int r;

	r = pw_initial_from("/sys/class/net", a->initial, sizeof(a->initial), ifname, sizeof(ifname));
	if (r == 0) {
		snprintf(a->initial_source, sizeof(a->initial_source),
			 "the last 6 characters of the MAC address of %s", ifname);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/initial-password", a->state_dir);
	r = initial_from_file(a, path);
	if (r == 0)
		snprintf(a->initial_source, sizeof(a->initial_source), "in %s (no Ethernet interface)",
			 path);
	return r;
}
