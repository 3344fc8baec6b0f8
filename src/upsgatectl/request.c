/* upsgatectl's command line -> one request of the local API
 * (docs/local-api.md): a line, and for a few commands a body whose
 * length ends the line. */
#include "upsgatectl/request.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* The daemon's limits (src/control/control.c). */
#define VALUE_MAX (64u << 10)
#define PASSWORD_MAX 128
#define RESTORE_MAX (1u << 20)

static int set_line(struct ctl_req *rq, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int set_line(struct ctl_req *rq, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(rq->line, sizeof(rq->line), fmt, ap);
	va_end(ap);
	return n > 0 && (size_t)n < sizeof(rq->line) ? 0 : -EINVAL;
}

/* A word of the request line: no space, no line break. */
static bool word_ok(const char *w)
{
	return *w && !strpbrk(w, " \t\r\n");
}

/* "trace on [N]" / "trace off" / "trace csv": passed through; the daemon
 * checks the arguments. */
static int trace_request(int argc, char **argv, struct ctl_req *rq)
{
	if (argc == 2 && (strcmp(argv[1], "off") == 0 || strcmp(argv[1], "csv") == 0 ||
			  strcmp(argv[1], "on") == 0))
		return set_line(rq, "trace %s\n", argv[1]);
	if (argc == 3 && strcmp(argv[1], "on") == 0 && strspn(argv[2], "0123456789") == strlen(argv[2]))
		return set_line(rq, "trace on %s\n", argv[2]);
	return -EINVAL;
}

/* "--since 2h": now minus 90s, 30m, 2h, 7d or 1w, in epoch seconds;
 * anything else (epoch seconds, ISO 8601) goes as it is. */
static int since_value(const char *v, char *out, size_t len)
{
	static const struct { char unit; long long secs; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 },
	};
	char *end;
	long long n = strtoll(v, &end, 10);

	if (end == v || n < 0 || end[0] == '\0' || end[1] != '\0')
		return snprintf(out, len, "%s", v) < (int)len ? 0 : -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (*end == units[i].unit) {
			if (n > 100LL * 366 * 86400 / units[i].secs)
				return -EINVAL;
			snprintf(out, len, "%lld", (long long)time(NULL) - n * units[i].secs);
			return 0;
		}
	return -EINVAL;
}

/* "logs NAME [--csv|--json|--clear] [--since T] [--from T] ...": options
 * become key=value words; the daemon validates them. */
static int logs_request(int argc, char **argv, struct ctl_req *rq)
{
	static const struct { const char *opt, *key; } with_value[] = {
		{ "--from", "from" }, { "--since", "from" }, { "--to", "to" }, { "--page", "page" },
		{ "--size", "size" }, { "--sort", "sort" }, { "--level", "level" },
		{ "--unit", "unit" }, { "--group", "group" },
	};
	const char *mode = "csv";
	size_t used, len = sizeof(rq->line);
	char *req = rq->line;

	if (argc < 2 || !word_ok(argv[1]))
		return -EINVAL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			mode = "json";
		else if (strcmp(argv[i], "--clear") == 0)
			mode = "clear";
	}
	used = (size_t)snprintf(req, len, "logs %s %s", argv[1], mode);
	for (int i = 2; i < argc && used < len; i++) {
		char value[64];
		size_t k;

		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "--clear") == 0 ||
		    strcmp(argv[i], "--csv") == 0)
			continue;
		if (strcmp(argv[i], "--asc") == 0 || strcmp(argv[i], "--desc") == 0) {
			used += (size_t)snprintf(req + used, len - used, " order=%s", argv[i] + 2);
			continue;
		}
		for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			if (strcmp(argv[i], with_value[k].opt) == 0)
				break;
		if (k == sizeof(with_value) / sizeof(with_value[0]) || i + 1 >= argc || !word_ok(argv[i + 1]))
			return -EINVAL;
		i++;
		if (strcmp(argv[i - 1], "--since") == 0) {
			if (since_value(argv[i], value, sizeof(value)) < 0)
				return -EINVAL;
		} else if (snprintf(value, sizeof(value), "%s", argv[i]) >= (int)sizeof(value))
			return -EINVAL;
		used += (size_t)snprintf(req + used, len - used, " %s=%s", with_value[k].key, value);
	}
	if (used + 2 > len)
		return -EINVAL;
	strcat(req, "\n");
	return 0;
}

static int with_body(struct ctl_req *rq, const char *cmd, const char *arg, char *body, size_t len)
{
	int n;

	if (memchr(body, '\0', len)) {
		fprintf(stderr, "upsgatectl: the input contains a NUL byte\n");
		free(body);
		return -EIO;
	}
	rq->body = body;
	rq->body_len = len;
	n = snprintf(rq->line, sizeof(rq->line), "%s%s%s %zu\n", cmd, arg ? " " : "", arg ? arg : "", len);
	return n > 0 && (size_t)n < sizeof(rq->line) ? 0 : -EINVAL;
}

/* Reads [f] whole, at most [max] bytes; NULL (message printed) if not. */
static char *slurp(FILE *f, const char *name, size_t max, size_t *len)
{
	char *buf = malloc(max + 1);
	size_t n;

	if (!buf)
		return NULL;
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n > max) {
		fprintf(stderr, "upsgatectl: %s: %s\n", name, ferror(f) ? strerror(errno) : "too large");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* One line from standard input without its line break; with echo off
 * when it is a terminal. */
static char *read_secret(const char *prompt, size_t max, size_t *len)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (tty) {
		fputs(prompt, stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n < 0 || (size_t)n > max + 1) {
		fprintf(stderr, "upsgatectl: %s\n", n < 0 ? "no password on standard input" : "password too long");
		free(line);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	*len = (size_t)n;
	return line;
}

static int passwd_request(int argc, char **argv, struct ctl_req *rq)
{
	char prompt[96], *pw, *again;
	size_t len, len2;

	if (argc != 2 || !word_ok(argv[1]))
		return -EINVAL;
	snprintf(prompt, sizeof(prompt), "New password for %.31s: ", argv[1]);
	pw = read_secret(prompt, PASSWORD_MAX, &len);
	if (!pw)
		return -EIO;
	if (isatty(STDIN_FILENO)) {
		again = read_secret("Again: ", PASSWORD_MAX, &len2);
		if (!again || len != len2 || strcmp(pw, again) != 0) {
			fprintf(stderr, "upsgatectl: the passwords differ\n");
			free(again);
			free(pw);
			return -EIO;
		}
		free(again);
	}
	return with_body(rq, "passwd", argv[1], pw, len);
}

/* config get KEY [--reveal] | set KEY VALUE|- | list [--json] */
static int config_request(int argc, char **argv, struct ctl_req *rq)
{
	size_t len;
	char *value;

	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return set_line(rq, "config list\n");
	if (argc == 3 && strcmp(argv[1], "list") == 0 && strcmp(argv[2], "--json") == 0)
		return set_line(rq, "config list json\n");
	if (argc >= 3 && strcmp(argv[1], "get") == 0 && word_ok(argv[2]) &&
	    (argc == 3 || (argc == 4 && strcmp(argv[3], "--reveal") == 0)))
		return set_line(rq, "config get %s%s\n", argv[2], argc == 4 ? " reveal" : "");
	if (argc != 4 || strcmp(argv[1], "set") != 0 || !word_ok(argv[2]))
		return -EINVAL;
	/* "-": from standard input, so that a secret stays out of ps. */
	if (strcmp(argv[3], "-") == 0) {
		value = slurp(stdin, "standard input", VALUE_MAX, &len);
		if (value && len && value[len - 1] == '\n')
			value[--len] = '\0';
	} else {
		len = strlen(argv[3]);
		value = len <= VALUE_MAX ? strdup(argv[3]) : NULL;
	}
	if (!value)
		return -EIO;
	return with_body(rq, "config-set", argv[2], value, len);
}

static int restore_request(int argc, char **argv, struct ctl_req *rq)
{
	size_t len;
	FILE *f;
	char *data;

	if (argc != 2)
		return -EINVAL;
	f = fopen(argv[1], "re");
	if (!f) {
		fprintf(stderr, "upsgatectl: %s: %s\n", argv[1], strerror(errno));
		return -EIO;
	}
	data = slurp(f, argv[1], RESTORE_MAX, &len);
	fclose(f);
	if (!data)
		return -EIO;
	return with_body(rq, "restore", NULL, data, len);
}

int req_build(int argc, char **argv, struct ctl_req *rq)
{
	static const struct {
		const char *cmd;
		const char *plain, *json;       /* request for each form */
	} simple[] = {
		{ "status", "status text", "status" },
		{ "alarms", "alarms text", "alarms" },
		{ "users", "users text", "users" },
		{ "ping", "ping", NULL },
		{ "restart", "restart", NULL },
	};
	bool json = argc == 2 && strcmp(argv[1], "--json") == 0;

	memset(rq, 0, sizeof(*rq));
	if (argc < 1)
		return -EINVAL;
	if (strcmp(argv[0], "trace") == 0)
		return trace_request(argc, argv, rq);
	if (strcmp(argv[0], "logs") == 0)
		return logs_request(argc, argv, rq);
	if (strcmp(argv[0], "config") == 0)
		return config_request(argc, argv, rq);
	if (strcmp(argv[0], "passwd") == 0)
		return passwd_request(argc, argv, rq);
	if (strcmp(argv[0], "restore") == 0)
		return restore_request(argc, argv, rq);
	if (strcmp(argv[0], "password") == 0)
		return argc == 3 && strcmp(argv[1], "reset") == 0 && strcmp(argv[2], "admin") == 0
		       ? set_line(rq, "password reset admin\n") : -EINVAL;
	if (strcmp(argv[0], "backup") == 0 && argc <= 2) {
		rq->save_to = argc == 2 ? argv[1] : NULL;
		return set_line(rq, "backup\n");
	}
	if (strcmp(argv[0], "factory-reset") == 0) {
		if (argc == 2 && strcmp(argv[1], "--yes") == 0)
			return set_line(rq, "factory-reset\n");
		fprintf(stderr, "upsgatectl: factory-reset puts every setting back to its default and "
			"admin back to the initial password;\nrun `upsgatectl factory-reset --yes` to do it\n");
		return -EIO;
	}
	if (argc > 2 || (argc == 2 && !json))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
		if (strcmp(simple[i].cmd, argv[0]) != 0)
			continue;
		if (json && !simple[i].json)
			return -EINVAL;
		return set_line(rq, "%s\n", json ? simple[i].json : simple[i].plain);
	}
	return -EINVAL;
}

char *req_text(const struct ctl_req *rq)
{
	size_t line = strlen(rq->line);
	char *text = malloc(line + rq->body_len + 1);

	if (!text)
		return NULL;
	memcpy(text, rq->line, line);
	if (rq->body)
		memcpy(text + line, rq->body, rq->body_len);
	text[line + rq->body_len] = '\0';
	return text;
}

void req_clear(struct ctl_req *rq)
{
	if (rq->body) {
		explicit_bzero(rq->body, rq->body_len);
		free(rq->body);
	}
	rq->body = NULL;
}
