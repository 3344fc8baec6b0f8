/* Times at the edge: local wall-clock time for people and spreadsheets,
 * ISO 8601 in UTC for programs. */
#include "store/store_priv.h"

#include <stdio.h>
#include <time.h>

static time_t seconds_of(int64_t ms)
{
	return (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
}

void timefmt_local(int64_t ms, char buf[TIMEFMT_LEN])
{
	time_t secs = seconds_of(ms);
	struct tm tm;

	if (!localtime_r(&secs, &tm) || !strftime(buf, TIMEFMT_LEN, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, TIMEFMT_LEN, "%lld", (long long)ms);
}

void timefmt_iso(int64_t ms, char buf[TIMEFMT_LEN])
{
	time_t secs = seconds_of(ms);
	struct tm tm;

	if (!gmtime_r(&secs, &tm) || !strftime(buf, TIMEFMT_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, TIMEFMT_LEN, "%lld", (long long)ms);
}
