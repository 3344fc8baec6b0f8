/* The daemon's pieces for the web interface, without a server: the
 * language tag check and the language list (links, bad files, caps, the
 * cache), the time zone's name, the alarm acknowledgements across
 * snapshots, and the web.links validation through settings_patch. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "core/settings.h"
#include "web/ack.h"
#include "web/api.h"
#include "web/lang.h"

static void test_lang_tags(void)
{
	static const struct {
		const char *name;
		size_t code;
	} cases[] = {
		{ "en.json", 2 }, { "fr.json", 2 }, { "ast.json", 3 }, { "pt-BR.json", 5 },
		{ "zh-Hant.json", 7 }, { "de-12345678.json", 11 }, { "sr-Latn.json", 7 },
		{ "e.json", 0 }, { "engl.json", 0 }, { "EN.json", 0 }, { "en-B.json", 0 },
		{ "en-123456789.json", 0 }, { "en-BR-x.json", 0 }, { "en_GB.json", 0 },
		{ "en.json.gz", 0 }, { "en.JSON", 0 }, { "en", 0 }, { ".json", 0 }, { "_parts", 0 },
		{ ".en.json", 0 }, { "en-.json", 0 }, { "english.json", 0 }, { "en.jsonx", 0 },
		{ "", 0 }, { "en-B\xc3\xa9.json", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(lang_file_code(cases[i].name) == cases[i].code, "lang_file_code(\"%s\") = %zu, want %zu",
		      cases[i].name, lang_file_code(cases[i].name), cases[i].code);
	printf("ok - language tags\n");
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL, "create %s", path);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* "en=English,fr=Français" for the list. */
static void list_text(struct lang_cache *c, int root, char *out, size_t len)
{
	json_t *doc = lang_list(c, root), *e;
	size_t i, n = 0;

	out[0] = '\0';
	CHECK(json_is_array(json_object_get(doc, "languages")), "a languages array");
	json_array_foreach(json_object_get(doc, "languages"), i, e)
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s=%s", i ? "," : "",
				      json_string_value(json_object_get(e, "code")),
				      json_string_value(json_object_get(e, "name")));
	json_decref(doc);
}

static void test_lang_list(void)
{
	char root[] = "/tmp/test-web-ui.XXXXXX", lang[600], text[4096], path[700];
	struct lang_cache *c = calloc(1, sizeof(*c));
	int fd;

	CHECK(c && mkdtemp(root), "temporary web root");
	fd = open(root, O_RDONLY | O_DIRECTORY);
	list_text(c, fd, text, sizeof(text));
	CHECK(strcmp(text, "") == 0, "no lang directory: an empty list (%s)", text);
	list_text(c, -1, text, sizeof(text));
	CHECK(strcmp(text, "") == 0, "no web root: an empty list");

	snprintf(lang, sizeof(lang), "%s/lang", root);
	mkdir(lang, 0755);
	put(lang, "fr.json", "{\"meta\":{\"code\":\"fr\",\"name\":\"Fran\xc3\xa7" "ais\"},\"strings\":{}}");
	put(lang, "en.json", "{\"meta\":{\"name\":\"English\"}}");
	put(lang, "de.json", "{\"meta\":{\"name\":");                      /* not JSON */
	put(lang, "it.json", "{\"meta\":{\"code\":\"it\"}}");               /* no name */
	put(lang, "es.json", "{\"meta\":{\"name\":\"\"}}");                 /* empty name */
	put(lang, "nl.json", "{\"meta\":{\"name\":\"Neder\\nlands\"}}");   /* control character */
	put(lang, "pt-BR.json", "{\"meta\":{\"name\":\"Portugu\xc3\xaas\"}}");
	put(lang, "_draft.json", "{\"meta\":{\"name\":\"Draft\"}}");
	put(lang, ".xx.json", "{\"meta\":{\"name\":\"Hidden\"}}");
	put(lang, "english.json", "{\"meta\":{\"name\":\"Long name\"}}");
	snprintf(path, sizeof(path), "%s/xx.json", lang);
	CHECK(symlink("en.json", path) == 0, "a link to a language file");
	snprintf(path, sizeof(path), "%s/big.json", root);
	put(root, "big.json", "{\"meta\":{\"name\":\"Outside\"}}");
	snprintf(text, sizeof(text), "%s/yy.json", lang);
	CHECK(symlink(path, text) == 0, "a link out of the root");
	snprintf(path, sizeof(path), "%s/ru.json", lang);
	CHECK(mkdir(path, 0755) == 0, "a directory with a language name");
	/* Over 2 MiB: refused by its size, never read. */
	snprintf(path, sizeof(path), "%s/ja.json", lang);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0 && ftruncate(fd, LANG_FILE_MAX + 1) == 0, "a big file");
	close(fd);

	fd = open(root, O_RDONLY | O_DIRECTORY);
	list_text(c, fd, text, sizeof(text));
	CHECK(strcmp(text, "en=English,fr=Fran\xc3\xa7" "ais,pt-BR=Portugu\xc3\xaas") == 0,
	      "sorted; bad files, links, other names and directories left out (%s)", text);
	CHECK(c->n == 8, "the refused files are remembered, so they warn once (%zu)", c->n);

	/* A changed file is read again; a removed one goes. */
	put(lang, "de.json", "{\"meta\":{\"name\":\"Deutsch\"}}");
	snprintf(path, sizeof(path), "%s/en.json", lang);
	unlink(path);
	list_text(c, fd, text, sizeof(text));
	CHECK(strcmp(text, "de=Deutsch,fr=Fran\xc3\xa7" "ais,pt-BR=Portugu\xc3\xaas") == 0,
	      "a fixed file appears, a removed one goes (%s)", text);

	/* 70 language files: the first 64 codes. */
	for (int i = 0; i < 70; i++) {
		char name[32];

		snprintf(name, sizeof(name), "q%c%c.json", 'a' + i / 26, 'a' + i % 26);
		put(lang, name, "{\"meta\":{\"name\":\"Q\"}}");
	}
	{
		json_t *doc = lang_list(c, fd), *l = json_object_get(doc, "languages");
		const char *last;

		/* The first 64 codes: de es fr it ja nl pt-BR and 57 q*, of
		 * which es, it, ja and nl are refused. */
		CHECK(json_array_size(l) == 60 && c->too_many_logged, "at most 64 read (%zu listed)",
		      json_array_size(l));
		last = json_string_value(json_object_get(json_array_get(l, 59), "code"));
		CHECK(last && strcmp(last, "qce") == 0, "the first 64 codes in order (last %s)", last);
		json_decref(doc);
	}
	close(fd);
	snprintf(text, sizeof(text), "rm -rf '%s'", root);
	CHECK(system(text) == 0, "clean up");
	free(c);
	printf("ok - language list\n");
}

static void test_timezone(void)
{
	char dir[] = "/tmp/test-web-tz.XXXXXX", tzfile[200], link[200], nothing[200], out[64];

	CHECK(mkdtemp(dir) != NULL, "temporary dir");
	snprintf(tzfile, sizeof(tzfile), "%s/timezone", dir);
	snprintf(link, sizeof(link), "%s/localtime", dir);
	snprintf(nothing, sizeof(nothing), "%s/none", dir);
	put(dir, "timezone", "America/New_York\n");
	CHECK(symlink("../usr/share/zoneinfo/Asia/Tokyo", link) == 0, "localtime link");

	api_timezone("Europe/Paris", tzfile, link, out, sizeof(out));
	CHECK(strcmp(out, "Europe/Paris") == 0, "TZ first (%s)", out);
	api_timezone(":Europe/Berlin", tzfile, link, out, sizeof(out));
	CHECK(strcmp(out, "Europe/Berlin") == 0, "TZ with a colon (%s)", out);
	api_timezone(":/usr/share/zoneinfo/Africa/Abidjan", tzfile, link, out, sizeof(out));
	CHECK(strcmp(out, "Africa/Abidjan") == 0, "TZ naming a zoneinfo file (%s)", out);
	api_timezone(":/etc/localtime", tzfile, link, out, sizeof(out));
	CHECK(strcmp(out, "America/New_York") == 0, "TZ naming /etc/localtime: the files (%s)", out);
	api_timezone("", tzfile, link, out, sizeof(out));
	CHECK(strcmp(out, "America/New_York") == 0, "empty TZ: /etc/timezone (%s)", out);
	api_timezone(NULL, nothing, link, out, sizeof(out));
	CHECK(strcmp(out, "Asia/Tokyo") == 0, "then the localtime link (%s)", out);
	api_timezone(NULL, nothing, nothing, out, sizeof(out));
	CHECK(strcmp(out, "UTC") == 0, "else UTC (%s)", out);
	put(dir, "timezone", "\n");
	api_timezone(NULL, tzfile, nothing, out, sizeof(out));
	CHECK(strcmp(out, "UTC") == 0, "an empty /etc/timezone is skipped (%s)", out);
	api_timezone("Bad\"Zone", nothing, nothing, out, sizeof(out));
	CHECK(strcmp(out, "UTC") == 0, "a TZ with a quote is not a name (%s)", out);
	snprintf(out, sizeof(out), "rm -rf '%s'", dir);
	CHECK(system(out) == 0, "clean up");
	printf("ok - time zone name\n");
}

/* A single JBUSP UPS with [alarms] (bit indexes, -1 ends) set at the
 * system level, valid or not. */
static struct snapshot *snap(const int *alarms, bool valid)
{
	static struct snapshot s;

	memset(&s, 0, sizeof(s));
	s.id.map = MAP_JBUSP;
	s.n_levels = 1;
	s.levels[0] = (struct level_data) { .kind = LEVEL_SYSTEM, .present = true, .valid = valid };
	for (; alarms && *alarms >= 0; alarms++)
		s.levels[0].alarms[*alarms / 16] |= (uint16_t)(1u << (*alarms % 16));
	return &s;
}

static void test_acks(void)
{
	struct alarm_acks *a = calloc(1, sizeof(*a));
	const struct level_data *sys;
	struct snapshot *s;

	/* A00 and A02 are managed alarms; A03 (bit 3) is not managed. */
	s = snap((const int[]) { 0, 2, 3, -1 }, true);
	sys = &s->levels[0];
	ack_update(a, s);
	CHECK(ack_alarm_active(&map_jbusp, sys, 0) && ack_alarm_active(&map_jbusp, sys, 2) &&
	      !ack_alarm_active(&map_jbusp, sys, 3) && !ack_alarm_active(&map_jbusp, sys, 1),
	      "active = managed and set");
	CHECK(!ack_is_acked(a, MAP_JBUSP, sys, 0), "new alarms are unacknowledged");
	CHECK(ack_all(a, s) == 2, "two acknowledged");
	CHECK(ack_is_acked(a, MAP_JBUSP, sys, 0) && ack_is_acked(a, MAP_JBUSP, sys, 2) &&
	      !ack_is_acked(a, MAP_JBUSP, sys, 3), "A00 and A02 acknowledged, not the unmanaged bit");
	CHECK(ack_all(a, s) == 0, "again: nothing new");

	/* A05 appears: only it is new. */
	s = snap((const int[]) { 0, 2, 5, -1 }, true);
	ack_update(a, s);
	CHECK(ack_is_acked(a, MAP_JBUSP, sys, 0) && !ack_is_acked(a, MAP_JBUSP, sys, 5),
	      "an alarm that appears later is unacknowledged");
	CHECK(ack_all(a, s) == 1, "one more acknowledged");

	/* Communication lost: the level is not read, nothing is forgotten. */
	ack_update(a, snap(NULL, false));
	s = snap((const int[]) { 0, 2, 5, -1 }, true);
	ack_update(a, s);
	CHECK(ack_is_acked(a, MAP_JBUSP, sys, 0) && ack_is_acked(a, MAP_JBUSP, sys, 5),
	      "kept across a snapshot whose level was not read");

	/* A02 clears and comes back: a new alarm. */
	ack_update(a, snap((const int[]) { 0, 5, -1 }, true));
	s = snap((const int[]) { 0, 2, 5, -1 }, true);
	ack_update(a, s);
	CHECK(ack_is_acked(a, MAP_JBUSP, sys, 0) && !ack_is_acked(a, MAP_JBUSP, sys, 2),
	      "cleared and back: unacknowledged again");
	CHECK(ack_all(a, s) == 1, "only the recurring one is new");

	/* Everything clears: the entry goes. */
	ack_update(a, snap(NULL, true));
	CHECK(a->n == 0, "no alarm, no entry (%zu)", a->n);

	/* Another map (the UPS was replaced): nothing carries over. */
	s = snap((const int[]) { 0, -1 }, true);
	ack_all(a, s);
	s->id.map = MAP_VUMAP;
	ack_update(a, s);
	CHECK(a->map == MAP_VUMAP && a->n == 0, "a new map forgets");
	CHECK(!ack_is_acked(a, MAP_JBUSP, sys, 0), "acks of another map do not count");
	CHECK(ack_all(a, NULL) == 0, "no snapshot: nothing to acknowledge");
	free(a);
	printf("ok - alarm acknowledgements\n");
}

static const char *txt(const char *s)
{
	return s ? s : "none";
}

/* PUT-like patch of web.links: NULL when accepted, else the first reason. */
static char *links_patch(const char *links_json, struct settings **out)
{
	struct settings *base = NULL;
	json_error_t jerr;
	json_t *links = json_loads(links_json, 0, &jerr), *patch, *errors = json_array();
	char *why = NULL;

	CHECK(links != NULL, "test JSON %s: %s", links_json, jerr.text);
	patch = json_pack("{s:o}", "web.links", links);
	CHECK(settings_new_defaults(&base) == 0, "defaults");
	if (settings_patch(base, patch, errors, out) < 0) {
		json_t *e = json_array_get(errors, 0);

		if (asprintf(&why, "%s: %s", json_string_value(json_object_get(e, "key")),
			     json_string_value(json_object_get(e, "reason"))) < 0)
			why = NULL;
		CHECK(why != NULL, "reason");
	}
	json_decref(patch);
	json_decref(errors);
	settings_free(base);
	return why;
}

static void test_links(void)
{
	static const char *const good[] = {
		"192.0.2.20", "pdu.example.com", "nas:8080/status", "nas.local:443", "10.0.0.1:8080",
		"http://192.0.2.1/", "HTTPS://wiki.example.com/ups?x=1#top", "2001:db8::1",
		"[2001:db8::1]:8080/x", "//cdn.example.com/", "h\xc3\xb4te.example", "a",
	};
	static const char *const bad[] = {
		"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
		"ftp://example.com/", "vbscript:x", "http:example.com", "https:/x", "http://",
		"http:///x", "a b", "a\\\"b", "a'b", "a<b", "a>b", "a`b", "a\\\\b", "a\\tb", "a\\u007fb",
		"nas:123456/x",
	};
	struct settings *s = NULL;
	char buf[600], *why;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(buf, sizeof(buf), "[{\"text\":\"L\",\"address\":\"%s\"}]", good[i]);
		why = links_patch(buf, &s);
		CHECK(!why, "address %s accepted (%s)", good[i], txt(why));
		free(why);
		settings_free(s);
		s = NULL;
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "[{\"text\":\"L\",\"address\":\"%s\"}]", bad[i]);
		why = links_patch(buf, &s);
		CHECK(why && strstr(why, "web.links[0].address"), "address %s refused (%s)", bad[i], txt(why));
		CHECK(s == NULL, "nothing returned");
		free(why);
	}

	why = links_patch("[{\"text\":\"PDU\",\"address\":\"192.0.2.20\"},"
			  "{\"text\":\"Wiki\",\"address\":\"https://wiki\",\"enabled\":false}]", &s);
	CHECK(!why && s, "two links accepted (%s)", txt(why));
	if (s) {
		CHECK(settings_list(s, SET_WEB_LINKS)->n == 2, "two entries");
		CHECK(strcmp(settings_item(s, SET_WEB_LINKS, 1, 0)->s, "Wiki") == 0 &&
		      settings_item(s, SET_WEB_LINKS, 0, 2)->b && !settings_item(s, SET_WEB_LINKS, 1, 2)->b,
		      "text, enabled by default, disabled when said");
		settings_free(s);
		s = NULL;
	}
	why = links_patch("[{\"text\":\"a\",\"address\":\"a\"},{\"text\":\"b\",\"address\":\"b\"},"
			  "{\"text\":\"c\",\"address\":\"c\"},{\"text\":\"d\",\"address\":\"d\"},"
			  "{\"text\":\"e\",\"address\":\"e\"}]", &s);
	CHECK(why && strstr(why, "web.links"), "5 links refused (%s)", txt(why));
	free(why);
	why = links_patch("[{\"text\":\"123456789012345678901234567890123\",\"address\":\"a\"}]", &s);
	CHECK(why && strstr(why, "web.links[0].text"), "33-byte text refused (%s)", txt(why));
	free(why);
	why = links_patch("[{\"text\":\"12345678901234567890123456789012\",\"address\":\"a\"}]", &s);
	CHECK(!why, "32-byte text accepted (%s)", txt(why));
	free(why);
	settings_free(s);
	s = NULL;
	why = links_patch("[{\"text\":\"\",\"address\":\"a\"}]", &s);
	CHECK(why != NULL, "empty text refused (%s)", txt(why));
	free(why);
	why = links_patch("[{\"text\":\"a\\nb\",\"address\":\"a\"}]", &s);
	CHECK(why && strstr(why, "web.links[0].text"), "control character in text refused (%s)", txt(why));
	free(why);
	why = links_patch("[{\"text\":\"a\"}]", &s);
	CHECK(why && strstr(why, "address"), "an address is needed (%s)", txt(why));
	free(why);
	printf("ok - web.links validation\n");
}

int main(void)
{
	test_lang_tags();
	test_lang_list();
	test_timezone();
	test_acks();
	test_links();
	return failures ? 1 : 0;
}
