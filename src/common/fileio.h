/* Files that survive a crash or a power cut at any instant. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Replaces [path] with [data]: a temp file in the same directory, written
 * and fsync'd, renamed over [path], then the directory fsync'd. Readers
 * see the old file or the new one, never a part. 0 or -errno (nothing
 * changed, no temp file left). */
int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode);
