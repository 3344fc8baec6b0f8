/* docs/api.md and the route table agree: every route of api_routes[]
 * (method, path, access) has a row in the doc's endpoint table and every
 * row names a route with the same access level. A prefix route
 * ("/api/v1/logs/") is documented by rows whose path continues with a
 * {parameter} ("/api/v1/logs/{name}", "/api/v1/logs/{name}.csv"). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "web/http.h"

#define ROWS_MAX 128

struct doc_row {
	char method[8], path[128], access[16];
	int line;
	bool matched;
};

static const char *access_name(enum web_access a)
{
	static const char *const names[] = {
		[WEB_PUBLIC] = "public", [WEB_SESSION] = "session", [WEB_READ] = "read",
		[WEB_WRITE] = "write", [WEB_ADMIN] = "admin",
	};
	return names[a];
}

/* The text of cell [n] (0-based) of a "| a | b | c |" line, trimmed. */
static bool cell(const char *line, int n, char *out, size_t len)
{
	const char *p = line;
	size_t k;

	for (int i = 0; i <= n; i++) {
		p = strchr(p, '|');
		if (!p)
			return false;
		p++;
	}
	while (*p == ' ')
		p++;
	k = strcspn(p, "|");
	while (k > 0 && p[k - 1] == ' ')
		k--;
	if (k >= len)
		return false;
	memcpy(out, p, k);
	out[k] = '\0';
	return true;
}

static bool is_method(const char *s)
{
	return !strcmp(s, "GET") || !strcmp(s, "POST") || !strcmp(s, "PUT") || !strcmp(s, "DELETE");
}

/* The rows of the table under "## Endpoints". */
static size_t read_doc(const char *path, struct doc_row *rows, size_t max)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	bool in_section = false;
	size_t n = 0;
	int lineno = 0;

	CHECK(f != NULL, "cannot open %s", path);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		struct doc_row r = { 0 };

		lineno++;
		if (strncmp(line, "## ", 3) == 0)
			in_section = strncmp(line, "## Endpoints", 12) == 0;
		if (!in_section || line[0] != '|' || !cell(line, 0, r.method, sizeof(r.method)) ||
		    !is_method(r.method))
			continue;
		CHECK(cell(line, 1, r.path, sizeof(r.path)) && cell(line, 2, r.access, sizeof(r.access)),
		      "%s:%d: a row needs method | path | access", path, lineno);
		r.line = lineno;
		CHECK(n < max, "too many rows");
		if (n < max)
			rows[n++] = r;
	}
	fclose(f);
	return n;
}

/* A doc path names [rt] when it is the route's path, or (prefix route)
 * the route's path followed by a {parameter}. */
static bool names_route(const char *doc_path, const struct web_route *rt)
{
	size_t n = strlen(rt->path);

	if (rt->path[n - 1] != '/')
		return strcmp(doc_path, rt->path) == 0;
	return strncmp(doc_path, rt->path, n) == 0 && doc_path[n] == '{';
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	struct doc_row rows[ROWS_MAX];
	char path[1024];
	size_t n_rows, n_routes = 0;

	snprintf(path, sizeof(path), "%s/docs/api.md", top ? top : ".");
	n_rows = read_doc(path, rows, ROWS_MAX);
	CHECK(n_rows > 10, "the endpoint table of %s has %zu rows", path, n_rows);

	for (const struct web_route *rt = api_routes; rt->method; rt++, n_routes++) {
		bool documented = false;

		CHECK(strncmp(rt->path, "/api/v1/", 8) == 0, "%s %s: not under /api/v1", rt->method, rt->path);
		CHECK(rt->handle != NULL, "%s %s: no handler", rt->method, rt->path);
		for (size_t i = 0; i < n_rows; i++) {
			if (strcmp(rows[i].method, rt->method) != 0 || !names_route(rows[i].path, rt))
				continue;
			documented = true;
			rows[i].matched = true;
			CHECK(strcmp(rows[i].access, access_name(rt->access)) == 0,
			      "%s:%d: %s %s is '%s' in the doc, '%s' in api_routes", path, rows[i].line,
			      rt->method, rows[i].path, rows[i].access, access_name(rt->access));
		}
		CHECK(documented, "%s %s (%s) is not in %s", rt->method, rt->path,
		      access_name(rt->access), path);
		/* A route served twice would make the doc ambiguous. */
		for (const struct web_route *o = api_routes; o < rt; o++)
			CHECK(strcmp(o->method, rt->method) || strcmp(o->path, rt->path),
			      "%s %s is in api_routes twice", rt->method, rt->path);
	}
	for (size_t i = 0; i < n_rows; i++)
		CHECK(rows[i].matched, "%s:%d: %s %s has no route in api_routes", path, rows[i].line,
		      rows[i].method, rows[i].path);
	printf("%zu routes, %zu documented endpoints\n", n_routes, n_rows);
	return failures ? 1 : 0;
}
