/* The history column table against ../shared/spec/history_columns.tsv:
 * every spec column has an entry with the same title at the same place,
 * fed by the measurement the spec names, and every entry is in the spec.
 * Skipped (77) when the spec is not beside the tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/meas.h"
#include "store/hist_columns.h"

#define FAIL(...) do { printf("not ok: " __VA_ARGS__); printf("\n"); failures++; } while (0)

static int failures;

/* The spec's measurement names and the model keys they are. */
static const struct { const char *measurement, *key_prefix; } kinds[] = {
	{ "Input voltage", "input.voltage" }, { "Output voltage", "output.voltage" },
	{ "Input frequency", "input.frequency" }, { "Output load rate", "output.load" },
	{ "Battery capacity", "battery.charge" }, { "UPS temperature", "ambient.temperature" },
	{ "Output current", "output.current" }, { "Output Current L", "output.current" },
	{ "Source 1 voltage L", "sts.source1.voltage" }, { "Source 2 voltage L", "sts.source2.voltage" },
	{ "Output frequency", "output.frequency" }, { "SW1 temperature", "sts.ss1.temperature" },
	{ "SW2 temperature", "sts.ss2.temperature" }, { "EMD temperature", "emd.temperature" },
	{ "EMD humidity", "emd.humidity" },
};

static int set_of(const char *log)
{
	for (int s = 0; s < _HSET_COUNT; s++)
		if (strcmp(hist_set_name(s), log) == 0)
			return s;
	return -1;
}

/* The entry at [pos] of [set]; for the extended set Min/Max/Avg share
 * one entry at pos, pos + 1, pos + 2. */
static const struct hist_column *at(int set, unsigned pos, int *stat)
{
	for (size_t i = 0; i < hist_columns_count; i++) {
		unsigned p = hist_columns[i].in[set].pos;

		if (p && pos >= p && pos < p + (set == HSET_UPS_EXTENDED ? 3u : 1u)) {
			*stat = (int)(pos - p);
			return &hist_columns[i];
		}
	}
	return NULL;
}

static void check_meaning(const struct hist_column *c, const char *measurement,
			  const char *phase, const char *column)
{
	const char *want = NULL;
	char key[64];

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strncmp(measurement, kinds[k].measurement, strlen(kinds[k].measurement)) == 0)
			want = kinds[k].key_prefix;
	if (!want) {
		FAIL("%s: unknown measurement '%s'", column, measurement);
		return;
	}
	if (*phase)
		snprintf(key, sizeof(key), "%s.l%c", want, phase[0] == 'R' ? '1' : phase[0] == 'S' ? '2' : '3');
	else if (measurement[strlen(measurement) - 2] == 'L')
		snprintf(key, sizeof(key), "%s.l%c", want, measurement[strlen(measurement) - 1]);
	else
		snprintf(key, sizeof(key), "%s", want);
	if (strcmp(c->key, key) != 0)
		FAIL("%s: entry %s, spec means %s", column, c->key, key);
}

static void check_line(char *line, unsigned *seen)
{
	static const char *const stats[] = { " Min", " Max", " Avg" };
	char *f[9], *rest = line, title[128];
	const struct hist_column *c;
	int n = 0, set, stat = 0;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < 9 && (f[n] = strsep(&rest, "\t")))     /* keeps empty fields */
		n++;
	if (n < 4 || strcmp(f[3], "timestamp") == 0)
		return;
	set = set_of(f[0]);
	if (set < 0) {
		FAIL("unknown log %s", f[0]);
		return;
	}
	c = at(set, (unsigned)atoi(f[1]), &stat);
	if (!c) {
		FAIL("%s #%s '%s': no entry", f[0], f[1], f[2]);
		return;
	}
	snprintf(title, sizeof(title), "%s%s", c->in[set].title,
		 set == HSET_UPS_EXTENDED ? stats[stat] : "");
	if (strcmp(title, f[2]) != 0)
		FAIL("%s #%s: entry '%s', spec '%s'", f[0], f[1], title, f[2]);
	check_meaning(c, f[3], n > 4 && strlen(f[4]) == 1 ? f[4] : "", f[2]);
	if (c->meas >= 0 && strcmp(meas_defs[c->meas].key, c->key) != 0)
		FAIL("%s: key differs from the measurement's %s", c->key, meas_defs[c->meas].key);
	seen[set]++;
}

int main(void)
{
	const char *dir = getenv("UPSGATE_SPEC");
	unsigned seen[_HSET_COUNT] = { 0 }, want[_HSET_COUNT] = { 0 };
	char path[512], line[1024];
	FILE *f;

	if (dir)
		snprintf(path, sizeof(path), "%s/history_columns.tsv", dir);
	else
		snprintf(path, sizeof(path), "%s/../shared/spec/history_columns.tsv",
			 getenv("top_srcdir") ? getenv("top_srcdir") : ".");
	f = fopen(path, "r");
	if (!f) {
		printf("SKIP: %s not found\n", path);
		return 77;
	}
	if (!fgets(line, sizeof(line), f) || strncmp(line, "log\torder\tcolumn\tmeasurement\tphase", 34)) {
		printf("not ok: %s: unexpected header\n", path);
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		check_line(line, seen);
	fclose(f);
	/* Every entry's place is in the spec. */
	for (size_t i = 0; i < hist_columns_count; i++) {
		char sql[64];

		for (int s = 0; s < _HSET_COUNT; s++)
			if (hist_columns[i].in[s].pos)
				want[s] += s == HSET_UPS_EXTENDED ? 3 : 1;
		snprintf(sql, sizeof(sql), "%s", hist_columns[i].key);
		for (char *p = sql; *p; p++)
			if (*p == '.')
				*p = '_';
		if (strcmp(sql, hist_columns[i].sql) != 0)
			FAIL("%s: SQL name %s, expected %s", hist_columns[i].key, hist_columns[i].sql, sql);
	}
	for (int s = 0; s < _HSET_COUNT; s++)
		if (seen[s] != want[s])
			FAIL("%s: %u spec columns, %u in the table", hist_set_name(s), seen[s], want[s]);
	if (!failures)
		printf("ok - %zu history columns match %s\n", hist_columns_count, path);
	return failures ? 1 : 0;
}
