/* What the web interface needs beyond the model: the list of its
 * languages (public: the login dialog is translated before anyone logs
 * in) and the gateway's clock (the date and time page). */
#include "web/api.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#define ZONE_MAX 64
#define ZONEINFO "zoneinfo/"
/* systemd-timesyncd's flag file: the clock state when adjtimex() is
 * refused (a seccomp filter such as systemd's ProtectClock=, which our
 * unit does not set for this reason). */
#define TIMESYNC_FLAG "/run/systemd/timesync/synchronized"

void api_languages(struct web_request *r)
{
	api_reply(r, 200, lang_list(&web_api_state(r)->langs, web_root_fd(r)));
}

/* A zone name as people read it: printable ASCII, no quote, not empty. */
static bool zone_ok(const char *z, size_t len)
{
	if (len == 0 || len >= ZONE_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (z[i] <= ' ' || z[i] > '~' || z[i] == '"' || z[i] == '\\')
			return false;
	return true;
}

/* [text] (up to [len] bytes) without what comes before "zoneinfo/". */
static bool take_zone(const char *text, size_t len, char *out, size_t out_len)
{
	const char *z = memmem(text, len, ZONEINFO, strlen(ZONEINFO));

	if (z) {
		len -= (size_t)(z + strlen(ZONEINFO) - text);
		text = z + strlen(ZONEINFO);
	}
	if (!zone_ok(text, len) || len >= out_len)
		return false;
	memcpy(out, text, len);
	out[len] = '\0';
	return true;
}

static bool zone_from_file(const char *path, char *out, size_t len)
{
	char buf[ZONE_MAX + 2];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return take_zone(buf, strcspn(buf, " \t\r\n"), out, len);
}

static bool zone_from_link(const char *path, char *out, size_t len)
{
	char buf[256];
	ssize_t n = readlink(path, buf, sizeof(buf));

	return n > 0 && (size_t)n < sizeof(buf) && memmem(buf, (size_t)n, ZONEINFO, strlen(ZONEINFO)) &&
	       take_zone(buf, (size_t)n, out, len);
}

void api_timezone(const char *tz, const char *timezone_file, const char *localtime_link,
		  char *out, size_t len)
{
	if (tz && *tz == ':')
		tz++;
	/* TZ=":/etc/localtime" names a file: only a path into zoneinfo/
	 * names a zone; "Europe/Paris" or "CET-1CEST" name themselves. */
	if (tz && (*tz != '/' || strstr(tz, ZONEINFO)) && take_zone(tz, strlen(tz), out, len))
		return;
	if (zone_from_file(timezone_file, out, len) || zone_from_link(localtime_link, out, len))
		return;
	snprintf(out, len, "UTC");
}

void api_time(struct web_request *r)
{
	struct timespec now;
	struct timex tx = { .modes = 0 };
	char iso[32], zone[ZONE_MAX];
	struct tm tm;
	bool synced;
	json_t *max_error;
	int state;

	clock_gettime(CLOCK_REALTIME, &now);
	tzset();                /* the zone may have changed since the start */
	if (!localtime_r(&now.tv_sec, &tm)) {
		web_reply_error(r, 500, "internal", "the local time is not known");
		return;
	}
	api_iso_time(now.tv_sec, iso, sizeof(iso));
	api_timezone(getenv("TZ"), "/etc/timezone", "/etc/localtime", zone, sizeof(zone));
	state = adjtimex(&tx);  /* modes 0: reads only, no privilege needed */
	if (state >= 0) {
		synced = state != TIME_ERROR;
		max_error = json_integer(tx.maxerror);
	} else {
		synced = access(TIMESYNC_FLAG, F_OK) == 0;
		max_error = json_null();
	}
	api_reply(r, 200, json_pack("{s:s,s:I,s:s,s:I,s:b,s:b,s:o}", "time", iso,
				    "time_ms", (json_int_t)now.tv_sec * 1000 + now.tv_nsec / 1000000,
				    "timezone", zone, "utc_offset", (json_int_t)tm.tm_gmtoff,
				    "dst", tm.tm_isdst > 0, "synchronized", synced,
				    "max_error_us", max_error));
}
