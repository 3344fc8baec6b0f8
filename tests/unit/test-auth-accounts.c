/* The accounts file: creation (0600, admin on the initial password),
 * round trip through a restart (lockout counters included), a corrupt
 * or unreadable file refusing the start and left as it was, a failed
 * save changing nothing, remove/unlock/reset, and the backup export,
 * import and every import_check rejection. */
#include <sys/stat.h>

#include "auth-test.h"

static char *slurp(const char *path)
{
	static char buf[AUTH_FILE_MAX + 1];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

static void check_creation_and_round_trip(struct harness *h)
{
	struct auth *a = NULL;
	struct account_info info[AUTH_MAX_USERS + 1];
	struct stat st;
	struct account *bob;
	char path[128];

	CHECK(harness_start(h, &a) == 0, "first start");
	snprintf(path, sizeof(path), "%s/state/accounts", h->dir);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "accounts file created 0600");
	CHECK(auth_list(a, info, AUTH_MAX_USERS + 1) == 1 && strcmp(info[0].name, "admin") == 0 &&
	      info[0].role == ROLE_ADMIN && info[0].must_change, "admin alone, must change");
	CHECK(strstr(slurp(path), "\"initial\": true") && !strstr(slurp(path), a->initial),
	      "the file marks the initial password and does not hold it");
	CHECK(set_user(h, a, "bob", ROLE_READ_WRITE, "Bobby12!pass").result == 0, "bob added");
	bob = acc_find(a, "bob");
	CHECK(bob && strncmp(bob->hash, "$y$", 3) == 0 && bob->must_change, "bob: yescrypt, must change");
	CHECK(!strstr(slurp(path), "Bobby12!pass"), "no password in the file");
	bob->lock.failures = 2;
	bob->lock.locked_until = test_clock.real + 600;
	CHECK(acc_save(a) == 0, "saved with a lock");
	auth_stop(a);

	CHECK(harness_start(h, &a) == 0, "second start");
	bob = acc_find(a, "bob");
	CHECK(a->n_acc == 2 && bob && bob->role == ROLE_READ_WRITE && bob->must_change,
	      "bob read back");
	CHECK(bob && bob->lock.failures == 2 && bob->lock.locked_until == test_clock.real + 600,
	      "the lock survives a restart");
	CHECK(auth_get(a, "bob", info) == 0 && info[0].locked_until == test_clock.real + 600,
	      "auth_get shows the lock");
	CHECK(auth_get(a, "nobody", info) == -ENOENT, "auth_get of an unknown name");
	auth_stop(a);
}

static void check_refusals(struct harness *h)
{
	static const char *const bad[] = {
		"",
		"{ not json",
		"{\"format\": \"other\", \"version\": 1, \"accounts\": []}",
		"{\"format\": \"upsgate-accounts\", \"version\": 2, \"accounts\": []}",
		"{\"format\": \"upsgate-accounts\", \"version\": 1, \"accounts\": []}",
		"{\"format\": \"upsgate-accounts\", \"version\": 1, \"accounts\": [{\"name\": \"bob\", \"role\": \"read-only\", \"hash\": \"x\"}]}",
		"{\"format\": \"upsgate-accounts\", \"version\": 1, \"accounts\": [{\"name\": \"admin\", \"role\": \"admin\"}]}",
		"{\"format\": \"upsgate-accounts\", \"version\": 1, \"accounts\": [{\"name\": \"admin\", \"role\": \"admin\", \"initial\": true, \"extra\": 1}]}",
		"{\"format\": \"upsgate-accounts\", \"version\": 1, \"format\": \"upsgate-accounts\", \"accounts\": []}",
	};
	char path[128], *before;
	struct auth *a = NULL;

	snprintf(path, sizeof(path), "%s/state/accounts", h->dir);
	before = strdup(slurp(path));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		spit(path, bad[i]);
		CHECK(harness_start(h, &a) < 0, "corrupt file %zu refused", i);
		CHECK(strcmp(slurp(path), bad[i]) == 0, "corrupt file %zu left as it was", i);
	}
	unlink(path);
	CHECK(mkdir(path, 0700) == 0, "a directory in place of the file");
	CHECK(harness_start(h, &a) < 0, "a directory is refused");
	rmdir(path);
	CHECK(symlink("/etc/passwd", path) == 0, "a symlink in place of the file");
	CHECK(harness_start(h, &a) < 0, "a symlink is refused");
	unlink(path);
	spit(path, before);
	chmod(path, 0600);
	free(before);
	CHECK(harness_start(h, &a) == 0, "the good file again");
	auth_stop(a);
}

static void check_admin_operations(struct harness *h)
{
	struct auth *a = NULL;
	char path[128], token[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1];

	CHECK(harness_start(h, &a) == 0, "start");
	snprintf(path, sizeof(path), "%s/state/accounts", h->dir);
	CHECK(auth_unlock(a, "bob", "cli", "root") == 0 && acc_find(a, "bob")->lock.locked_until == 0,
	      "unlock bob");
	CHECK(find_event(h, "gw.account_unlocked", "bob via cli by root"), "gw.account_unlocked");
	CHECK(auth_unlock(a, "nobody", "cli", "root") == -ENOENT, "unlock an unknown name");
	CHECK(auth_remove_user(a, "admin", "web", "admin") == -EPERM, "admin cannot be removed");
	CHECK(auth_remove_user(a, "nobody", "web", "admin") == -ENOENT, "remove an unknown name");

	/* A save that fails changes nothing. */
	unlink(path);
	mkdir(path, 0700);
	CHECK(auth_remove_user(a, "bob", "web", "admin") < 0 && acc_find(a, "bob"),
	      "the file cannot be written: bob stays");
	rmdir(path);

	session_open(a, "bob", ROLE_READ_WRITE, false, false, "x", token, csrf);
	CHECK(auth_remove_user(a, "bob", "web", "admin") == 0 && !acc_find(a, "bob"), "bob removed");
	CHECK(auth_session(a, token) == NULL, "and his session closed");
	CHECK(find_event(h, "gw.user_changed", "bob removed via web by admin"), "gw.user_changed");
	CHECK(!strstr(slurp(path), "bob"), "the file no longer has bob");

	CHECK(set_user(h, a, "carol", ROLE_READ_ONLY, "Carol12!pass").result == 0, "carol added");
	session_open(a, "admin", ROLE_ADMIN, false, false, "x", token, csrf);
	CHECK(auth_reset(a, "cli", "root") == 0, "reset");
	CHECK(a->n_acc == 1 && a->acc[0].initial && a->acc[0].must_change, "admin alone, initial");
	CHECK(auth_session(a, token) == NULL, "every session closed");
	auth_stop(a);
}

static json_t *account(const char *name, const char *role, const char *hash)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:i}", "name", name, "role", role, "hash", hash,
			 "must_change", 0, "password_changed", 1700000000);
}

static bool has_key(const json_t *errors, const char *key)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "key")), key) == 0)
			return true;
	return false;
}

static void expect_rejected(json_t *accounts, const char *key, const char *what)
{
	json_t *errors = json_array();

	CHECK(auth_import_check(accounts, errors) == -EINVAL && has_key(errors, key),
	      "%s: rejected at %s (%s)", what, key, json_dumps(errors, 0));
	json_decref(errors);
	json_decref(accounts);
}

static void check_export_import(struct harness *h)
{
	struct auth *a = NULL;
	json_t *exported, *errors, *bad;
	char hash[AUTH_HASH_MAX], token[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1];

	CHECK(harness_start(h, &a) == 0, "start");
	CHECK(change_password(h, a, "admin", NULL, "Admin12!pass").result == 0, "admin password set");
	CHECK(set_user(h, a, "erin", ROLE_READ_WRITE, "Erin12!passw").result == 0, "erin");
	acc_find(a, "erin")->lock.failures = 2;
	snprintf(hash, sizeof(hash), "%s", acc_find(a, "erin")->hash);
	exported = auth_export(a);
	CHECK(json_array_size(exported) == 2, "two accounts exported");
	CHECK(!json_object_get(json_array_get(exported, 1), "failures"), "no lockout counters exported");
	errors = json_array();
	CHECK(auth_import_check(exported, errors) == 0 && json_array_size(errors) == 0,
	      "the export passes import_check");
	json_decref(errors);

	CHECK(auth_reset(a, "cli", "root") == 0, "reset");
	session_open(a, "admin", ROLE_ADMIN, false, false, "x", token, csrf);
	CHECK(auth_import(a, exported, "web", "admin") == 0, "import");
	CHECK(a->n_acc == 2 && acc_find(a, "erin") && strcmp(acc_find(a, "erin")->hash, hash) == 0 &&
	      acc_find(a, "erin")->lock.failures == 0, "erin back with her hash, no counters");
	CHECK(!a->acc[0].initial, "admin back on its own password");
	CHECK(auth_session(a, token) == NULL, "import closed the sessions");
	CHECK(find_event(h, "gw.user_changed", "accounts restored"), "import logged");
	CHECK(login(h, a, "erin", "Erin12!passw").status == LOGIN_OK, "erin logs in after import");

	expect_rejected(json_string("x"), "accounts", "not an array");
	expect_rejected(json_array(), "accounts", "empty");
	bad = json_array();
	json_array_append_new(bad, account("admin", "admin", hash));
	for (int i = 0; i < 9; i++) {
		char name[16];

		snprintf(name, sizeof(name), "u%d", i);
		json_array_append_new(bad, account(name, "read-only", hash));
	}
	expect_rejected(bad, "accounts", "ten accounts");
	expect_rejected(json_pack("[o]", account("bob", "read-only", hash)), "accounts", "no admin");
	expect_rejected(json_pack("[o]", account("admin", "read-only", hash)), "accounts[0].role",
			"admin not admin");
	expect_rejected(json_pack("[o, o]", account("admin", "admin", hash), account("bob", "admin", hash)),
			"accounts[1].role", "a second admin");
	expect_rejected(json_pack("[o, o]", account("admin", "admin", hash), account("b b", "read-only", hash)),
			"accounts[1].name", "bad name");
	expect_rejected(json_pack("[o, o, o]", account("admin", "admin", hash), account("bob", "read-only", hash),
				  account("bob", "read-write", hash)), "accounts[2].name", "duplicate");
	expect_rejected(json_pack("[o, o]", account("admin", "admin", hash), account("bob", "root", hash)),
			"accounts[1].role", "unknown role");
	expect_rejected(json_pack("[o]", account("admin", "admin", "$6$abc$def")), "accounts[0].hash",
			"sha512crypt");
	expect_rejected(json_pack("[o]", account("admin", "admin", "Admin12!pass")), "accounts[0].hash",
			"a clear password");
	expect_rejected(json_pack("[{s:s, s:s}]", "name", "admin", "role", "admin"), "accounts[0].hash",
			"no hash");
	expect_rejected(json_pack("[o, {s:s, s:s, s:b}]", account("admin", "admin", hash), "name", "bob",
				  "role", "read-only", "initial", 1), "accounts[1].initial",
			"bob on an initial password");
	expect_rejected(json_pack("[{s:s, s:s, s:s, s:i}]", "name", "admin", "role", "admin", "hash", hash,
				  "failures", 0), "accounts[0].failures", "lockout counters in a backup");
	expect_rejected(json_pack("[{s:s, s:s, s:s, s:s}]", "name", "admin", "role", "admin", "hash", hash,
				  "must_change", "yes"), "accounts[0].must_change", "must_change not a boolean");
	expect_rejected(json_pack("[{s:s, s:s, s:s, s:i}]", "name", "admin", "role", "admin", "hash", hash,
				  "password_changed", -1), "accounts[0].password_changed", "negative time");
	expect_rejected(json_pack("[i]", 3), "accounts[0]", "not an object");

	/* A rejected import changes nothing. */
	bad = json_pack("[o]", account("bob", "read-only", hash));
	CHECK(auth_import(a, bad, "web", "admin") == -EINVAL && acc_find(a, "erin"),
	      "a bad import changes nothing");
	json_decref(bad);
	json_decref(exported);
	auth_stop(a);
}

int main(void)
{
	struct harness h;

	log_setup("test-auth-accounts", LOG_CRIT);
	harness_init(&h, NULL);
	check_creation_and_round_trip(&h);
	check_refusals(&h);
	check_admin_operations(&h);
	check_export_import(&h);
	harness_fini(&h);
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
