/* The CHECK of the small unit tests: a failed condition prints
 * "not ok file:line: message" and is counted; main returns
 * failures ? 1 : 0. */
#pragma once

#include <stdio.h>

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		printf("not ok %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)
