/* Trap number lists of the receivers' event filter, in a file of its own
 * so that the settings schema (its syntax check) links without the rest
 * of the event catalogue. */
#include "core/event.h"

#include <errno.h>

int event_traps_parse(const char *text, uint64_t *out)
{
	const char *p = text;
	uint64_t bits = 0;

	while (*p) {
		unsigned n = 0;
		size_t digits = 0;

		while (*p == ' ')
			p++;
		while (*p >= '0' && *p <= '9' && digits < 3) {
			n = n * 10 + (unsigned)(*p++ - '0');
			digits++;
		}
		while (*p == ' ')
			p++;
		if (digits == 0 || n < 1 || n > 40 || (*p != ',' && *p != '\0'))
			return -EINVAL;
		bits |= 1ULL << n;
		if (*p == ',' && *++p == '\0')
			return -EINVAL;
	}
	*out = bits;
	return 0;
}
