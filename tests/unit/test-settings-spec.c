/* Settings defaults against the manual (../shared/spec/): the schema
 * must keep the NET VISION defaults wherever it has the setting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"

/* spec file, first column to match, column holding the default, our key,
 * multiplier from the manual's unit to ours. */
static const struct {
	const char *file;
	const char *name;
	int name_col, value_col;
	const char *key;
	double factor;
} pairs[] = {
	{ "nv_config_defaults.tsv", "History Log Interval", 1, 2, "history.interval", 1 },
	{ "nv_config_defaults.tsv", "Extend Log Interval", 1, 2, "history.extended_interval", 60 },
	{ "nv_config_defaults.tsv", "Polling Rate", 1, 2, "serial.poll_interval", 1 },
	{ "nv_config_defaults.tsv", "Login Timeout", 1, 2, "auth.login_timeout", 1 },
	{ "bacnet_device.tsv", "Device Identifier", 1, 5, "bacnet.device_id", 1 },
};

static int spec_value(const char *dir, int i, double *out)
{
	char path[1024], line[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, pairs[i].file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *cols[16] = { 0 }, *p = line;
		int n = 0;

		while (n < 16 && (cols[n++] = strsep(&p, "\t\n")) && p)
			;
		if (n > pairs[i].value_col && cols[pairs[i].name_col] &&
		    strcmp(cols[pairs[i].name_col], pairs[i].name) == 0) {
			*out = atof(cols[pairs[i].value_col]) * pairs[i].factor;
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return -1;
}

int main(void)
{
	const char *dir = getenv("UPSGATE_SPEC");
	char fallback[512];
	struct settings *s;
	int failures = 0;

	if (!dir) {
		snprintf(fallback, sizeof(fallback), "%s/../shared/spec",
			 getenv("top_srcdir") ? getenv("top_srcdir") : ".");
		dir = fallback;
	}
	if (settings_new_defaults(&s) < 0)
		return 99;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		int id = settings_find(pairs[i].key);
		double want, have;

		if (spec_value(dir, (int)i, &want) < 0) {
			printf("SKIP: %s has no '%s' (spec not beside the tree?)\n", pairs[i].file, pairs[i].name);
			settings_free(s);
			return 77;
		}
		have = settings_schema[id].type == ST_DOUBLE ? settings_double(s, id)
							      : (double)settings_int(s, id);
		if (have != want) {
			printf("not ok - %s default %g, manual says %g (%s)\n", pairs[i].key, have, want, pairs[i].name);
			failures++;
		} else {
			printf("ok - %s = %g\n", pairs[i].key, have);
		}
	}
	settings_free(s);
	return failures ? 1 : 0;
}
