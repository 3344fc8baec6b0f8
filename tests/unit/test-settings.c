/* Settings schema and strict loading: every corner of a config file a
 * person can get wrong gets a file:line: key: reason and nothing loads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/settings.h"

#include "check.h"

static char tmpdir[] = "/tmp/test-settings.XXXXXX";

/* Loads [text]; returns the load result and the error text in [err]. */
static int load_text(const char *text, struct settings **out, char *err, size_t errlen)
{
	char path[128];
	char *buf = NULL;
	size_t len = 0;
	FILE *f, *ef;
	int r;

	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	ef = open_memstream(&buf, &len);
	r = settings_load(path, ef, out);
	fclose(ef);
	snprintf(err, errlen, "%s", buf ? buf : "");
	free(buf);
	return r;
}

static void test_defaults(void)
{
	struct settings *s;

	CHECK(settings_new_defaults(&s) == 0, "defaults");
	CHECK(strcmp(settings_str(s, SET_SERIAL_DEVICE), "/dev/ttyUSB0") == 0, "device default");
	CHECK(strcmp(settings_str(s, SET_SERIAL_BAUD), "auto") == 0, "baud default");
	CHECK(settings_double(s, SET_SERIAL_POLL_INTERVAL) == 2.0, "poll interval default");
	CHECK(settings_int(s, SET_SNMP_PORT) == 161, "snmp port default");
	CHECK(settings_bool(s, SET_HTTPS_ENABLED), "https default on");
	CHECK(!settings_bool(s, SET_MODBUS_TCP_ENABLED), "modbus tcp default off");
	CHECK(settings_list(s, SET_SNMP_RECEIVERS)->n == 0, "no receivers");
	settings_free(s);
	printf("ok - defaults\n");
}

/* The block of DESIGN.md "Stable interfaces", verbatim. */
static void test_design_block(void)
{
	static const char text[] =
		"state_dir = \"/var/lib/upsgate\";\n"
		"control   = { socket = \"/run/upsgate/upsgated.sock\"; };\n"
		"serial    = { device = \"/dev/ttyUSB0\"; baud = \"auto\"; slave = 1; poll_interval = 2.0; };\n"
		"system    = { name = \"upsgate\"; contact = \"\"; location = \"\"; temperature_unit = \"C\"; };\n"
		"http      = { enabled = true;  port = 80;  };\n"
		"https     = { enabled = true;  port = 443; };\n"
		"snmp      = { enabled = true;  port = 161; read_community = \"public\";\n"
		"              write_community = \"private\"; write_enabled = false;\n"
		"              users = ( );\n"
		"              receivers = ( ); };\n"
		"modbus_tcp = { enabled = false; port = 502; };\n"
		"bacnet    = { enabled = false; port = 47808; device_id = 1338; unit = 0; };\n"
		"nut       = { enabled = false; port = 3493; };\n"
		"history   = { interval = 60; extended_interval = 3600; retention_days = 365; };\n"
		"auth      = { login_timeout = 300; password_days = 90; lockout_attempts = 3; lockout_minutes = 15; };\n";
	struct settings *s = NULL;
	char err[1024];
	int r = load_text(text, &s, err, sizeof(err));

	CHECK(r == 0, "DESIGN.md block loads: %s", err);
	if (s)
		CHECK(settings_int(s, SET_BACNET_DEVICE_ID) == 1338, "device id");
	settings_free(s);
	printf("ok - design block\n");
}

static void expect_error(const char *name, const char *text, const char *needle)
{
	struct settings *s = (struct settings *)1;
	char err[1024];
	int r = load_text(text, &s, err, sizeof(err));

	CHECK(r == -EINVAL, "%s: refused (r=%d)", name, r);
	CHECK(s == NULL, "%s: nothing returned", name);
	CHECK(strstr(err, needle) != NULL, "%s: error '%s' should contain '%s'", name, err, needle);
	printf("ok - %s\n", name);
}

static void test_errors(void)
{
	expect_error("unknown key", "serial = { device = \"/dev/x\";\n speed = 9600; };\n",
		     "t.conf:2: serial.speed: unknown setting");
	expect_error("unknown group", "serail = { device = \"/dev/x\"; };\n",
		     "t.conf:1: serail: unknown setting");
	expect_error("out of range", "\n\nserial = { slave = 300; };\n",
		     "t.conf:3: serial.slave: 300 is out of range (1 to 247)");
	expect_error("wrong type", "http = { port = \"80\"; };\n",
		     "t.conf:1: http.port: must be an integer");
	expect_error("bad enum", "serial = { baud = 1234; };\n",
		     "serial.baud: must be one of: auto, 2400, 9600, 19200, 57600");
	expect_error("syntax", "serial = { device = ; };\n", "t.conf:1: syntax error");
	expect_error("double range", "serial = { poll_interval = 0.01; };\n",
		     "serial.poll_interval: 0.01 is out of range");
	expect_error("string too long", "system = { name = \"0123456789012345678901234567890123456789"
		     "012345678901234567890123456789\"; };\n", "system.name: length must be");
	expect_error("list item key", "snmp = { receivers = ( { address = \"10.0.0.1\"; colour = 1; } ); };\n",
		     "snmp.receivers[0].colour: unknown setting");
	expect_error("list item required", "snmp = { receivers = ( { community = \"x\"; } ); };\n",
		     "snmp.receivers[0]: address is required");
	expect_error("list item enum", "snmp = { users = ( { name = \"u\"; auth = \"SHA512\"; } ); };\n",
		     "snmp.users[0].auth: must be one of");
	expect_error("bad address", "firewall = { rules = ( { address = \"10.0.0.300\"; prefix = 8; } ); };\n",
		     "firewall.rules[0].address: must be an IPv4 or IPv6 address");
	expect_error("IPv4 prefix", "firewall = { rules = ( { address = \"10.0.0.0\"; prefix = 40; } ); };\n",
		     "t.conf:1: firewall.rules[0]: prefix must be 0 to 32 for an IPv4 address");
	expect_error("two errors reported", "serial = { slave = 0; };\nhttp = { port = 0; };\n",
		     "t.conf:2: http.port");
}

static void test_values(void)
{
	static const char text[] =
		"serial = { baud = 19200; poll_interval = 1; device = \"/dev/serial/by-id/usb-x\"; };\n"
		"firewall = { rules = ( { address = \"2001:db8::\"; prefix = 32; action = \"reject\"; } ); };\n"
		"snmp = { receivers = ( { address = \"192.0.2.1\"; version = \"v1\"; },\n"
		"                        { address = \"192.0.2.2\"; } ); };\n";
	struct settings *s = NULL;
	char err[1024], buf[64];
	int r = load_text(text, &s, err, sizeof(err));

	CHECK(r == 0, "values load: %s", err);
	if (!s)
		return;
	CHECK(strcmp(settings_str(s, SET_SERIAL_BAUD), "19200") == 0, "integer baud accepted");
	CHECK(settings_double(s, SET_SERIAL_POLL_INTERVAL) == 1.0, "integer for a double");
	CHECK(settings_list(s, SET_SNMP_RECEIVERS)->n == 2, "two receivers");
	CHECK(strcmp(settings_item(s, SET_SNMP_RECEIVERS, 0, 3)->s, "v1") == 0, "receiver version");
	CHECK(strcmp(settings_item(s, SET_SNMP_RECEIVERS, 1, 3)->s, "v2c") == 0, "item default");
	CHECK(settings_item(s, SET_SNMP_RECEIVERS, 2, 0) == NULL, "out of list");
	settings_format(s, SET_SNMP_READ_COMMUNITY, false, buf, sizeof(buf));
	CHECK(strcmp(buf, "\"********\"") == 0, "secret hidden: %s", buf);
	settings_format(s, SET_SNMP_READ_COMMUNITY, true, buf, sizeof(buf));
	CHECK(strcmp(buf, "\"public\"") == 0, "secret revealed: %s", buf);
	settings_free(s);
	printf("ok - values\n");
}

static void test_missing_file(void)
{
	struct settings *s;

	CHECK(settings_load("/nonexistent/upsgate.conf", NULL, &s) == -ENOENT, "missing file");
	printf("ok - missing file\n");
}

static void test_shipped_example(void)
{
	const char *top = getenv("top_srcdir");
	char path[512];
	struct settings *s = NULL;

	snprintf(path, sizeof(path), "%s/etc/upsgate.conf", top ? top : ".");
	CHECK(settings_load(path, stdout, &s) == 0, "the shipped %s loads", path);
	settings_free(s);
	printf("ok - shipped example\n");
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		return 99;
	test_defaults();
	test_design_block();
	test_errors();
	test_values();
	test_missing_file();
	test_shipped_example();
	{
		char cmd[160];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		if (system(cmd) != 0)
			failures++;
	}
	return failures ? 1 : 0;
}
