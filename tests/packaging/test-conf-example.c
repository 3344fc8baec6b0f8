/* etc/upsgate.conf is the documented example of every setting: it must
 * load cleanly, spell out every key of the schema, and show each key
 * with its default value, so the file and the schema never drift. */
#include "core/settings.h"

#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

/* The example is installed by the Debian package (prefix /usr); a
 * default made from the build's prefix is compared with that path. */
static bool packaged_default(int id, const char *have)
{
	return id == SET_WEB_ROOT && strcmp(have, "\"/usr/share/upsgate/www\"") == 0;
}

static int check_loads_with_defaults(const char *path)
{
	struct settings *example = NULL, *defaults = NULL;
	char have[256], want[256];
	int failures = 0, r;

	r = settings_load(path, stderr, &example);
	if (r < 0) {
		fprintf(stderr, "FAIL: %s does not load: %s\n", path, strerror(-r));
		return 1;
	}
	r = settings_new_defaults(&defaults);
	if (r < 0) {
		fprintf(stderr, "FAIL: no defaults: %s\n", strerror(-r));
		settings_free(example);
		return 1;
	}
	for (int id = 0; id < _SET_COUNT; id++) {
		if (settings_equal(example, defaults, id))
			continue;
		settings_format(example, id, true, have, sizeof(have));
		if (packaged_default(id, have))
			continue;
		settings_format(defaults, id, true, want, sizeof(want));
		fprintf(stderr, "FAIL: %s: example has %s, the default is %s\n",
			settings_schema[id].key, have, want);
		failures++;
	}
	settings_free(example);
	settings_free(defaults);
	return failures;
}

/* The loader fills in defaults for absent keys: read the file raw to be
 * sure each key is written out for the reader. */
static int check_every_key_written(const char *path)
{
	config_t cfg;
	int failures = 0;

	config_init(&cfg);
	if (!config_read_file(&cfg, path)) {
		fprintf(stderr, "FAIL: %s:%d: %s\n", path, config_error_line(&cfg),
			config_error_text(&cfg));
		config_destroy(&cfg);
		return 1;
	}
	for (int id = 0; id < _SET_COUNT; id++) {
		if (config_lookup(&cfg, settings_schema[id].key))
			continue;
		fprintf(stderr, "FAIL: %s: missing from %s\n", settings_schema[id].key, path);
		failures++;
	}
	config_destroy(&cfg);
	return failures;
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	int failures;

	if (snprintf(path, sizeof(path), "%s/etc/upsgate.conf", top ? top : ".") >= (int)sizeof(path)) {
		fprintf(stderr, "FAIL: top_srcdir too long\n");
		return 1;
	}
	failures = check_loads_with_defaults(path) + check_every_key_written(path);
	if (failures) {
		fprintf(stderr, "%d problem(s) in %s\n", failures, path);
		return 1;
	}
	printf("ok: %s has all %d settings with their defaults\n", path, (int)_SET_COUNT);
	return 0;
}
