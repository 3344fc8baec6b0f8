/* Fuzz the configuration loader with arbitrary file contents: it must
 * refuse or accept, never crash or leak.
 * fuzz-sources: src/core/settings.c src/core/settings_schema.c src/core/settings_value.c src/core/trapnums.c
 * fuzz-pkgs: libconfig
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-settings.XXXXXX";
	struct settings *s = NULL;
	FILE *devnull = fopen("/dev/null", "w");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		if (devnull)
			fclose(devnull);
		unlink(path);
		return 0;
	}
	close(fd);
	if (settings_load(path, devnull, &s) == 0 && !s)
		__builtin_trap();
	settings_free(s);
	unlink(path);
	if (devnull)
		fclose(devnull);
	return 0;
}
