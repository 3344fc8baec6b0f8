/* The password policy (each rule, every allowed and forbidden
 * character), stored hash formats, user names, roles, tokens and the
 * initial password from a sysfs tree built here. */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth_priv.h"
#include "check.h"

static void check_policy_rules(void)
{
	static const struct { const char *pw, *reason; } cases[] = {
		{ NULL, "a password is required" },
		{ "", "a password is required" },
		{ "Ab1!Ab1!Ab1", "at least 12 characters" },
		{ "Ab1!Ab1!Ab1!", NULL },                       /* exactly 12 */
		{ "ab1!ab1!ab1!", "at least one uppercase letter (A-Z)" },
		{ "AB1!AB1!AB1!", "at least one lowercase letter (a-z)" },
		{ "Abc!Abc!Abc!", "at least one digit (0-9)" },
		{ "Abc1Abc1Abc1", "at least one special character among ! % # @ ^ *" },
		{ "Abc1$Abc1Abc1", "'$' is not allowed: the special characters are ! % # @ ^ *" },
		{ "Abc1 Abc1!bc1", "spaces are not allowed" },
		{ "Abc1'Abc1!bc1", "the quote (') is not allowed: the special characters are ! % # @ ^ *" },
		{ "Abc1\\Abc1!bc1", "the backslash (\\) is not allowed: the special characters are ! % # @ ^ *" },
		{ "Abc1\"Abc1!bc1", "'\"' is not allowed: the special characters are ! % # @ ^ *" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = auth_password_policy(cases[i].pw);

		CHECK((!got && !cases[i].reason) || (got && cases[i].reason && strcmp(got, cases[i].reason) == 0),
		      "policy(%s): got \"%s\", want \"%s\"", cases[i].pw ? cases[i].pw : "NULL",
		      got ? got : "ok", cases[i].reason ? cases[i].reason : "ok");
	}
}

/* Every byte in every position class: only A-Z a-z 0-9 ! % # @ ^ * pass. */
static void check_every_character(void)
{
	for (int c = 1; c < 256; c++) {
		char pw[32];
		const char *got;
		bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			       (c >= '0' && c <= '9') || (c && strchr("!%#@^*", c));

		snprintf(pw, sizeof(pw), "Abcdef12!%c", c);
		strcat(pw, "xY");
		got = auth_password_policy(pw);
		CHECK(allowed == (got == NULL), "character 0x%02x: %s", c, got ? got : "accepted");
		if (!allowed)
			CHECK(got && (strstr(got, "not allowed") || strstr(got, "only letters")),
			      "character 0x%02x has a reason naming it: %s", c, got ? got : "");
	}
}

static void check_length_limits(void)
{
	char pw[AUTH_PASSWORD_MAX + 2];

	memset(pw, 'a', sizeof(pw));
	memcpy(pw, "A1!", 3);
	pw[AUTH_PASSWORD_MAX] = 0;
	CHECK(auth_password_policy(pw) == NULL, "128 characters accepted");
	pw[AUTH_PASSWORD_MAX] = 'a';
	pw[AUTH_PASSWORD_MAX + 1] = 0;
	CHECK(auth_password_policy(pw) && strcmp(auth_password_policy(pw), "at most 128 characters") == 0,
	      "129 characters refused");
}

static void check_hashes(void)
{
	char setting[CRYPT_GENSALT_OUTPUT_SIZE], hash[AUTH_HASH_MAX], other[AUTH_HASH_MAX];

	CHECK(pw_salt(setting, sizeof(setting)) == 0 && strncmp(setting, "$y$", 3) == 0,
	      "a yescrypt setting: %s", setting);
	CHECK(pw_hash("Secret12!abc", setting, hash, sizeof(hash)) == 0, "hashing works");
	CHECK(pw_hash_check(hash) == NULL, "our hash is accepted: %s", pw_hash_check(hash));
	CHECK(pw_verify("Secret12!abc", hash), "right password verifies");
	CHECK(!pw_verify("Secret12!abd", hash), "wrong password does not");
	CHECK(!pw_verify("Secret12!abc", setting), "a bare setting (the dummy) matches nothing");
	CHECK(pw_hash_check(setting) != NULL, "a setting without hash is refused");
	CHECK(pw_hash_check("$6$saltsalt$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./abcdefghijklmnopqrstu") != NULL,
	      "sha512crypt refused");
	CHECK(pw_hash_check("plain") != NULL, "plain text refused");
	CHECK(pw_hash_check(NULL) != NULL, "NULL refused");
	snprintf(other, sizeof(other), "%s", hash);
	other[strlen(other) - 1] = '$';
	CHECK(pw_hash_check(other) != NULL, "a '$' in the hash part refused");
	snprintf(other, sizeof(other), "%s", hash);
	other[3] = 'z';                 /* unknown parameters */
	CHECK(pw_hash_check(other) != NULL, "unknown yescrypt parameters refused");
	CHECK(pw_salt(setting, sizeof(setting)) == 0, "setting");
	{
		char costly[CRYPT_GENSALT_OUTPUT_SIZE], big[CRYPT_GENSALT_OUTPUT_SIZE + 64];

		CHECK(crypt_gensalt_rn("$y$", 11, NULL, 0, costly, sizeof(costly)) != NULL, "cost 11");
		snprintf(big, sizeof(big), "%s$%.43s", costly, strrchr(hash, '$') + 1);
		CHECK(pw_hash_check(big) != NULL, "a hash of cost 11 refused: %s", big);
	}
}

static void check_names_roles_tokens(void)
{
	char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1];

	CHECK(acc_name_check("alice") == NULL, "alice");
	CHECK(acc_name_check("a.b_c-D9") == NULL, "a.b_c-D9");
	CHECK(acc_name_check("") != NULL, "empty name");
	CHECK(acc_name_check("-rf") != NULL, "leading dash");
	CHECK(acc_name_check("bad name") != NULL, "space");
	CHECK(acc_name_check("élise") != NULL, "non-ASCII");
	CHECK(acc_name_check("abcdefghijabcdefghijabcdefghija") == NULL, "31 characters");
	CHECK(acc_name_check("abcdefghijabcdefghijabcdefghijab") != NULL, "32 characters");
	CHECK(role_from_name("read-only") == ROLE_READ_ONLY && role_from_name("read-write") == ROLE_READ_WRITE &&
	      role_from_name("admin") == ROLE_ADMIN && role_from_name("root") == -EINVAL,
	      "role names");
	CHECK(strcmp(role_name(ROLE_READ_WRITE), "read-write") == 0, "role_name");
	CHECK(random_token(t1, sizeof(t1)) == 0 && random_token(t2, sizeof(t2)) == 0 &&
	      strlen(t1) == AUTH_TOKEN_LEN && strcmp(t1, t2) != 0 &&
	      strspn(t1, "0123456789abcdef") == AUTH_TOKEN_LEN, "tokens: 64 hex, different");
	CHECK(ct_equal("abcdef", "abcdef", 6) && !ct_equal("abcdef", "abcdeF", 6), "ct_equal");
}

static void put(const char *dir, const char *name, const char *value)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(value, f);
	fclose(f);
}

static void nic(const char *root, const char *name, int type, int ifindex, const char *mac, bool physical)
{
	char dir[256], num[16], link[300];

	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	mkdir(dir, 0755);
	snprintf(num, sizeof(num), "%d\n", type);
	put(dir, "type", num);
	snprintf(num, sizeof(num), "%d\n", ifindex);
	put(dir, "ifindex", num);
	put(dir, "address", mac);
	if (physical) {
		snprintf(link, sizeof(link), "%s/device", dir);
		if (symlink("/", link) < 0)
			perror(link);
	}
}

static void check_initial_password(void)
{
	char root[] = "/tmp/test-auth-sysfs.XXXXXX", pw[16], ifname[32], cmd[96];

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(1);
	}
	CHECK(pw_initial_from(root, pw, sizeof(pw), ifname, sizeof(ifname)) == -ENODEV,
	      "no interface: -ENODEV");
	nic(root, "lo", 772, 1, "00:00:00:00:00:00\n", false);
	nic(root, "docker0", 1, 2, "02:42:ac:11:00:01\n", false);
	CHECK(pw_initial_from(root, pw, sizeof(pw), ifname, sizeof(ifname)) == 0 &&
	      strcmp(pw, "110001") == 0 && strcmp(ifname, "docker0") == 0,
	      "only a virtual one: it is used (%s from %s)", pw, ifname);
	nic(root, "enp3s0", 1, 5, "00:1a:2b:3c:4d:5e\n", true);
	nic(root, "eno1", 1, 3, "00:1a:2b:aa:bb:cc\n", true);
	nic(root, "wwan0", 1, 4, "00:00:00:00:00:00\n", true);
	CHECK(pw_initial_from(root, pw, sizeof(pw), ifname, sizeof(ifname)) == 0 &&
	      strcmp(pw, "AABBCC") == 0 && strcmp(ifname, "eno1") == 0,
	      "lowest ifindex among physical ones, upper case (%s from %s)", pw, ifname);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK(system(cmd) == 0, "cleanup");
}

int main(void)
{
	check_policy_rules();
	check_every_character();
	check_length_limits();
	check_hashes();
	check_names_roles_tokens();
	check_initial_password();
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
