/* CSV export: BOM, header row, CRLF line ends, RFC 4180 quoting, local
 * and ISO 8601 time columns, -1 for values the UPS does not give. */
#include "store-test.h"

#include <fcntl.h>

static char *export(struct store *st, enum store_log log, const char *dir, size_t *len)
{
	char path[512];
	static char buf[1 << 20];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/export.csv", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(store_export_csv(st, log, 0, 0, fd) == 0);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	close(fd);
	unlink(path);
	*len = (size_t)n;
	return buf;
}

/* Every LF is preceded by CR, except inside quoted fields. */
static size_t check_crlf(const char *s, size_t len)
{
	bool quoted = false;
	size_t lines = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		if (s[i] == '\n' && !quoted) {
			CHECK(i > 0 && s[i - 1] == '\r');
			lines++;
		}
	}
	CHECK(!quoted && len >= 2 && s[len - 2] == '\r' && s[len - 1] == '\n');
	return lines;
}

static void test_history(struct store *st, const char *dir)
{
	struct snapshot *s = test_snapshot(0, 230);
	const char *csv;
	size_t len;

	s->levels[0].meas[MEAS_INPUT_V_L2] = NAN;       /* not managed */
	s->levels[0].meas[MEAS_INPUT_FREQ] = 49.9;
	/* 2026-11-22T13:03:00Z, 14:03 in Paris. */
	CHECK(store_tick(st, s, 1795352580000LL) == 0);
	free(s);
	csv = export(st, STORE_HISTORY, dir, &len);
	CHECK(memcmp(csv, "\xEF\xBB\xBF" "Local time,ISO 8601,Level,Input Voltage (V) R,"
		     "Input Voltage (V) S,Input Voltage (V) T,Output Voltage (V) R,", 100) == 0);
	CHECK(strstr(csv, ",UPS temperature (°C)\r\n"));
	CHECK(strstr(csv, "\r\n2026-11-22 14:03:00,2026-11-22T13:03:00Z,System,230,-1,230,"
		     "230,230,230,49.9,230,230,230,230,230\r\n"));
	CHECK(check_crlf(csv, len) == 2);
	printf("ok - history: header, local and ISO times, -1 for not available\n");
}

static void test_events(struct store *st, const char *dir)
{
	struct event e = { .def = event_find("gw.config_changed"), .active = true };
	const char *csv;
	size_t len;

	CHECK(e.def);
	e.time.tv_sec = 1795352580;
	snprintf(e.detail, sizeof(e.detail), "name \"ups, room 2\"\nvia web by admin");
	CHECK(store_add_event(st, &e) == 0);
	csv = export(st, STORE_GATEWAY_EVENTS, dir, &len);
	CHECK(strncmp(csv, "\xEF\xBB\xBF" "Local time,ISO 8601,Level,Group,Code,Event,State,"
		      "Unit,Module,Detail\r\n", 70) == 0);
	CHECK(strstr(csv, "\r\n2026-11-22 14:03:00,2026-11-22T13:03:00Z,information,gateway,"
		     "gw.config_changed,??? has been changed via ??? by ???,active,0,0,"
		     "\"name \"\"ups, room 2\"\"\nvia web by admin\"\r\n"));
	CHECK(check_crlf(csv, len) == 2);

	e.def = event_find("jbusp.A01");
	CHECK(e.def);
	e.active = false;
	e.detail[0] = '\0';
	CHECK(store_add_event(st, &e) == 0);
	csv = export(st, STORE_DEVICE_EVENTS, dir, &len);
	CHECK(strstr(csv, ",jbusp.A01,Battery Alarm has been removed,cleared,0,0,\r\n"));
	printf("ok - events: quoting of comma, quote and newline; cleared alarms\n");
}

static void test_extended(struct store *st, const char *dir)
{
	struct snapshot *s = test_snapshot(0, 0);
	const char *csv;
	size_t len;

	for (int i = 1; i <= 3; i++) {
		s->levels[0].meas[MEAS_INPUT_V_L1] = 220 + i;
		store_sample(st, s, T0 + i * 1000);
	}
	free(s);
	CHECK(store_tick(st, NULL, T0 + 3600 * 1000) == 0);
	csv = export(st, STORE_EXTENDED, dir, &len);
	CHECK(strstr(csv, "Local time,ISO 8601,End local time,End ISO 8601,Samples,Level,"
		     "Input Voltage (V) R Min,Input Voltage (V) R Max,Input Voltage (V) R Avg,"));
	CHECK(strstr(csv, ",3,System,221,223,222,"));
	CHECK(check_crlf(csv, len) == 2);
	printf("ok - extended: Min, Max, Avg columns\n");
}

int main(void)
{
	char *dir = test_dir();
	struct store_config c = test_config(dir);
	struct store *st;

	setenv("TZ", "Europe/Paris", 1);
	tzset();
	st = test_open(&c, NULL);
	test_history(st, dir);
	test_events(st, dir);
	test_extended(st, dir);
	CHECK(store_export_csv(st, STORE_HISTORY, 10, 5, 1) == -EINVAL);
	CHECK(store_export_csv(st, STORE_HISTORY, 0, 0, -1) == -EINVAL);
	store_close(st);
	test_dir_remove(dir);
	return 0;
}
