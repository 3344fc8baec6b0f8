/* Settings written back as a file: every key of the schema survives
 * settings_to_text -> settings_load_text, strings with anything a writer
 * must escape included; settings_save replaces the file atomically and
 * leaves no temporary file behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "settings-gen.h"

static char tmpdir[] = "/tmp/test-settings-write.XXXXXX";

static int reload(const char *text, struct settings **out, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *ef = open_memstream(&buf, &len);
	int r = settings_load_text(text, strlen(text), "t", ef, out);

	fclose(ef);
	snprintf(err, errlen, "%s", buf ? buf : "");
	free(buf);
	return r;
}

/* One key at a time, then all at once, lists empty, with one entry and
 * full: text and back gives equal settings. */
static void test_round_trip_every_key(void)
{
	static const size_t entries[] = { 0, 1, 64 };
	unsigned tried = 0;

	for (size_t e = 0; e < sizeof(entries) / sizeof(entries[0]); e++)
		for (int id = -1; id < _SET_COUNT; id++) {
			struct settings *s = gen_settings(id, entries[e]), *back = NULL;
			char *text = s ? settings_to_text(s) : NULL;
			char err[1024];
			int which = -1;

			CHECK(text, "settings_to_text (key %d)", id);
			if (!text) {
				settings_free(s);
				continue;
			}
			CHECK(reload(text, &back, err, sizeof(err)) == 0, "%s with %zu entries reloads: %s",
			      id < 0 ? "every key" : settings_schema[id].key, entries[e], err);
			if (back)
				CHECK(gen_all_equal(s, back, &which), "%s: %s differs after the round trip",
				      id < 0 ? "every key" : settings_schema[id].key,
				      which >= 0 ? settings_schema[which].key : "?");
			tried++;
			free(text);
			settings_free(s);
			settings_free(back);
		}
	printf("ok - %u round trips through the text\n", tried);
}

/* The text is what DESIGN.md shows: groups, secrets in clear. */
static void test_text_shape(void)
{
	struct settings *s;
	char *text;

	settings_new_defaults(&s);
	free(s->v[SET_SNMP_READ_COMMUNITY].s);
	s->v[SET_SNMP_READ_COMMUNITY].s = strdup("s3cret");
	text = settings_to_text(s);
	CHECK(strstr(text, "\nserial = {\n  device = \"/dev/ttyUSB0\";\n"), "serial group:\n%s", text);
	CHECK(strstr(text, "\nauth = {\n") && strstr(text, "\n  radius = {\n    enabled = false;\n"),
	      "auth.radius nested in auth");
	CHECK(strstr(text, "read_community = \"s3cret\";"), "secrets in clear in the file");
	CHECK(strstr(text, "poll_interval = 2.0;"), "a double reads back as a double");
	CHECK(strstr(text, "rules = ( );"), "an empty list");
	CHECK(!strstr(text, "********"), "no mask in the file");
	/* http.* keys are not contiguous in the schema: one group all the same. */
	CHECK(strstr(text, "\nhttp = {") && !strstr(strstr(text, "\nhttp = {") + 1, "\nhttp = {") &&
	      strstr(text, "  redirect_https = false;"), "one http group, with its last key");
	free(text);
	settings_free(s);
	printf("ok - text shape\n");
}

static void test_load_text_refusals(void)
{
	static const char nul[] = "system = { name = \"a\0b\"; };";
	struct settings *s = NULL;
	char err[512];

	CHECK(reload("@include \"/etc/passwd\"\n", &s, err, sizeof(err)) == -EINVAL && !s &&
	      strstr(err, "t:1: @include is not allowed"), "@include refused: %s", err);
	CHECK(reload("system = { name = \"x\"; };\n  @include \"x\"\n", &s, err, sizeof(err)) == -EINVAL &&
	      strstr(err, "t:2: @include"), "indented @include refused: %s", err);
	CHECK(reload("system = { name = ; };", &s, err, sizeof(err)) == -EINVAL &&
	      strstr(err, "t:1: syntax error"), "syntax error named: %s", err);
	CHECK(reload("serial = { slave = 300; };", &s, err, sizeof(err)) == -EINVAL &&
	      strstr(err, "t:1: serial.slave: 300 is out of range"), "range: %s", err);
	CHECK(settings_load_text(nul, sizeof(nul) - 1, "t", NULL, &s) == -EINVAL && !s, "NUL refused");
	CHECK(reload("system = { name = \"@include\"; };", &s, err, sizeof(err)) == 0 && s &&
	      strcmp(settings_str(s, SET_SYSTEM_NAME), "@include") == 0, "@include inside a string is text");
	settings_free(s);
	printf("ok - settings_load_text refusals\n");
}

static unsigned count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	return n;
}

static void test_save(void)
{
	struct settings *a = gen_settings(-1, 2), *back = NULL;
	char path[128], dirpath[128];
	struct stat st;
	int which = -1;

	snprintf(path, sizeof(path), "%s/upsgate.conf", tmpdir);
	CHECK(settings_save(a, path) == 0, "save");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640, "mode 0640 (%o)", st.st_mode & 07777);
	CHECK(settings_load(path, NULL, &back) == 0 && gen_all_equal(a, back, &which),
	      "the saved file loads back equal (%d)", which);
	CHECK(count_entries(tmpdir) == 1, "no temporary file left (%u entries)", count_entries(tmpdir));
	settings_free(back);
	/* A rename that cannot happen (the path is a directory): an error,
	 * the directory untouched, the temporary file removed. */
	snprintf(dirpath, sizeof(dirpath), "%s/conf.d", tmpdir);
	mkdir(dirpath, 0700);
	CHECK(settings_save(a, dirpath) < 0, "saving over a directory fails");
	CHECK(count_entries(tmpdir) == 2, "no temporary file left after a failure (%u)", count_entries(tmpdir));
	rmdir(dirpath);
	snprintf(dirpath, sizeof(dirpath), "%s/missing/upsgate.conf", tmpdir);
	CHECK(settings_save(a, dirpath) == -ENOENT, "a missing directory: -ENOENT");
	settings_free(a);
	printf("ok - settings_save\n");
}

/* A writer saves A and B in turn while a reader loads the file: every
 * load sees A or B whole, never a mix, a short file or no file. */
static void test_save_atomic(void)
{
	struct settings *a, *b, *got;
	char path[128];
	unsigned loads = 0, bad = 0;
	int which;
	pid_t pid;

	settings_new_defaults(&a);
	b = gen_settings(-1, 8);
	snprintf(path, sizeof(path), "%s/atomic.conf", tmpdir);
	settings_save(a, path);
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 400; i++)
			if (settings_save(i % 2 ? a : b, path) < 0)
				_exit(1);
		_exit(0);
	}
	for (;;) {
		int status;
		bool done = waitpid(pid, &status, WNOHANG) == pid;

		got = NULL;
		if (settings_load(path, NULL, &got) < 0 ||
		    (!gen_all_equal(got, a, &which) && !gen_all_equal(got, b, &which)))
			bad++;
		settings_free(got);
		loads++;
		if (done) {
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer saved 400 times");
			break;
		}
	}
	CHECK(bad == 0, "%u of %u loads saw a partial or missing file", bad, loads);
	CHECK(count_entries(tmpdir) == 2, "only the two files left (%u)", count_entries(tmpdir));
	settings_free(a);
	settings_free(b);
	printf("ok - atomic saves (%u loads while saving)\n", loads);
}

static void test_dup(void)
{
	struct settings *a = gen_settings(-1, 3), *b = NULL;
	int which = -1;

	a->path = strdup("/x/y.conf");
	CHECK(settings_dup(a, &b) == 0 && gen_all_equal(a, b, &which), "dup equal (%d)", which);
	CHECK(b && b->path && strcmp(b->path, "/x/y.conf") == 0, "dup keeps the path");
	CHECK(b && b->v[SET_SYSTEM_NAME].s != a->v[SET_SYSTEM_NAME].s, "dup copies strings");
	settings_free(a);
	settings_free(b);
	printf("ok - settings_dup\n");
}

int main(void)
{
	char cmd[64];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_round_trip_every_key();
	test_text_shape();
	test_load_text_refusals();
	test_save();
	test_save_atomic();
	test_dup();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return failures ? 1 : 0;
}
