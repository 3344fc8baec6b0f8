/* upsgated: boot script. Init in dependency order, fini in reverse. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "auth/auth.h"
#include "auth/backup.h"
#include "auth/firewall.h"
#include "bacnet/server.h"
#include "control/control.h"
#include "core/manager.h"
#include "core/settings.h"
#include "modbustcp/mbtcp.h"
#include "recorder/recorder.h"
#include "snmp/agent.h"
#include "snmp/trap.h"
#include "device/sim.h"
#include "web/http.h"
#include "web/tls.h"

#define DEFAULT_CONFIG SYSCONFDIR "/upsgate/upsgate.conf"

struct options {
	const char *config;
	bool config_given;
	bool check;
	bool list_settings;
	bool initial_password;
	const char *simulate;           /* NULL: real device */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: upsgated [-c FILE] [--simulate[=TOPOLOGY]] [--check]\n"
		"  -c, --config FILE     configuration file (default " DEFAULT_CONFIG ")\n"
		"      --simulate[=T]    poll a built-in simulated UPS instead of serial.device;\n"
		"                        T = single | modular:M | parallel:N | modular-parallel:NxM | sts,\n"
		"                        optionally prefixed by the map: jbusp/parallel:3 (default vumap)\n"
		"      --check           validate the configuration and exit\n"
		"      --settings        list every setting with its default and limits\n"
		"      --initial-password  print admin's initial password on this machine\n"
		"  -h, --help            this text\n"
		"      --version         print the version\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_SIMULATE = 256, OPT_CHECK, OPT_SETTINGS, OPT_VERSION, OPT_INITIAL_PASSWORD };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "simulate", optional_argument, NULL, OPT_SIMULATE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "settings", no_argument, NULL, OPT_SETTINGS },
		{ "initial-password", no_argument, NULL, OPT_INITIAL_PASSWORD },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 }
	};
	int c;

	o->config = DEFAULT_CONFIG;
	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			o->config_given = true;
			break;
		case OPT_SIMULATE:
			o->simulate = optarg ? optarg : "single";
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_SETTINGS:
			o->list_settings = true;
			break;
		case OPT_INITIAL_PASSWORD:
			o->initial_password = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		case OPT_VERSION:
			printf("upsgated %s\n", PACKAGE_VERSION);
			exit(EXIT_SUCCESS);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "upsgated: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* The schema as a table people can read: the one description of every
 * setting, so docs point here instead of copying it. */
static void list_settings(FILE *f)
{
	static const char *const types[] = {
		[ST_BOOL] = "bool", [ST_INT] = "int", [ST_DOUBLE] = "number",
		[ST_STRING] = "string", [ST_ENUM] = "choice", [ST_LIST] = "list",
	};

	for (int i = 0; i < _SET_COUNT; i++) {
		const struct setting_def *d = &settings_schema[i];

		fprintf(f, "%-28s %-6s default %s%s%s", d->key, types[d->type],
			d->type == ST_STRING || d->type == ST_ENUM ? "\"" : "", d->def,
			d->type == ST_STRING || d->type == ST_ENUM ? "\"" : "");
		if (d->type == ST_INT || d->type == ST_DOUBLE)
			fprintf(f, ", %g to %g", d->min, d->max);
		for (size_t c = 0; d->choices && d->choices[c]; c++)
			fprintf(f, "%s%s", c ? "|" : ", one of ", d->choices[c]);
		if (d->type == ST_LIST)
			fprintf(f, ", at most %g entries", d->max);
		if (d->flags & SF_RESTART)
			fprintf(f, ", restart to apply");
		fprintf(f, "\n    %s\n", d->help);
		for (size_t it = 0; it < d->n_item; it++)
			fprintf(f, "    - %-20s %s\n", d->item[it].key, d->item[it].help);
	}
}

/* The password printed on the label of the vendor's card: the last 6
 * characters of the MAC; without Ethernet, the file the daemon makes. */
static int print_initial_password(const struct settings *s)
{
	char pw[64], path[300];
	FILE *f;

	if (auth_initial_password(pw, sizeof(pw)) == 0) {
		printf("%s\n", pw);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/initial-password", settings_str(s, SET_STATE_DIR));
	f = fopen(path, "re");
	if (!f || !fgets(pw, sizeof(pw), f)) {
		fprintf(stderr, "upsgated: no Ethernet interface: the initial password is written "
			"to %s at the first start\n", path);
		if (f)
			fclose(f);
		return -ENOENT;
	}
	fclose(f);
	fputs(pw, stdout);
	return 0;
}

/* A missing default file means "all defaults"; a missing -c file is an error. */
static int load_settings(const struct options *o, struct settings **out, const char **used_path)
{
	int r = settings_load(o->config, stderr, out);

	*used_path = o->config;
	if (r == -ENOENT && !o->config_given) {
		log_notice("%s not found: running with the default settings", o->config);
		*used_path = NULL;
		return settings_new_defaults(out);
	}
	return r;
}

/* "vumap/parallel:3", "jbusp/single", "sts", "modular:4". */
static int simulation_options(const char *spec, struct sim_options *so)
{
	const char *slash = strchr(spec, '/');

	sim_options_defaults(so);
	so->map = MAP_VUMAP;
	if (slash) {
		size_t n = (size_t)(slash - spec);

		if (n == 5 && strncmp(spec, "jbusp", n) == 0)
			so->map = MAP_JBUSP;
		else if (n == 5 && strncmp(spec, "vumap", n) == 0)
			so->map = MAP_VUMAP;
		else
			return -EINVAL;
		spec = slash + 1;
	}
	if (strcmp(spec, "sts") == 0)
		so->map = MAP_STS;
	return sim_parse_topology(so, spec);
}

static int start_simulation(const char *spec, struct sim **sim, char *dir, size_t dirlen,
			    char *link, size_t linklen)
{
	const char *base = getenv("RUNTIME_DIRECTORY") ? getenv("RUNTIME_DIRECTORY") : "/tmp";
	struct sim_options so;
	int r;

	if (simulation_options(spec, &so) < 0) {
		log_error("--simulate=%s: expected [jbusp/|vumap/]single|modular:M|parallel:N|"
			  "modular-parallel:NxM|sts", spec);
		return -EINVAL;
	}
	snprintf(dir, dirlen, "%s/upsgated-sim.XXXXXX", base);
	if (!mkdtemp(dir)) {
		r = -errno;
		log_error("cannot create a directory for the simulator in %s: %m", base);
		return r;
	}
	snprintf(link, linklen, "%s/ups", dir);
	so.link = link;
	so.emulate_wire = true;
	r = sim_start(sim, &so);
	if (r < 0) {
		log_error("cannot start the simulator: %s", strerror(-r));
		rmdir(dir);
		return r;
	}
	log_info("simulated %s UPS (%s) on %s -> %s", map_name(so.map), spec, link, sim_pty(*sim));
	return 0;
}

/* manager_request_restart: the same program with the same arguments and
 * the same PID, which systemd keeps following. The clean shutdown closed
 * the listeners, the database and the simulator; what is left is
 * close-on-exec. Returns only on failure. */
static void reexec(char **argv)
{
	log_info("restarting: executing %s again", argv[0]);
	fflush(NULL);
	execv("/proc/self/exe", argv);
	log_error("cannot restart: execv /proc/self/exe: %m");
}

static void stop_simulation(struct sim *sim, const char *dir, const char *link)
{
	if (!sim)
		return;
	sim_stop(sim);
	(void)unlink(link);
	(void)rmdir(dir);
}

int main(int argc, char **argv)
{
	char sim_dir[256] = "", sim_link[300] = "";
	struct options opts = { 0 };
	struct settings *settings = NULL;
	struct manager *m = NULL;
	struct control *ctl = NULL;
	struct firewall *fw = NULL;
	struct tls_store *tls = NULL;
	struct auth *auth = NULL;
	struct web *web = NULL;
	struct mbtcp *mbtcp = NULL;
	struct bacnet_server *bacnet = NULL;
	struct snmp_agent *snmp = NULL;
	struct trap_sender *traps = NULL;
	struct recorder *rec = NULL;
	struct sim *sim = NULL;
	const char *config_path;
	bool restart = false;
	int r;

	log_setup("upsgated", LOG_INFO);
	if (parse_options(argc, argv, &opts) < 0)
		return EXIT_FAILURE;

	if (opts.list_settings) {
		list_settings(stdout);
		return EXIT_SUCCESS;
	}
	r = load_settings(&opts, &settings, &config_path);
	if (opts.initial_password && r == 0) {
		r = print_initial_password(settings);
		settings_free(settings);
		return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	if (opts.check) {
		if (r == 0)
			printf("%s: ok\n", opts.config);
		settings_free(settings);
		return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	if (r < 0) {
		log_error("configuration %s refused, not starting", opts.config);
		return EXIT_FAILURE;
	}

	r = manager_block_signals();
	if (r < 0) {
		log_error("cannot block signals: %s", strerror(-r));
		settings_free(settings);
		return EXIT_FAILURE;
	}
	if (opts.simulate) {
		r = start_simulation(opts.simulate, &sim, sim_dir, sizeof(sim_dir), sim_link, sizeof(sim_link));
		if (r < 0) {
			settings_free(settings);
			goto out;
		}
	}
	r = manager_new(&m, settings, config_path);
	if (r < 0) {
		log_error("cannot set up the main loop: %s", strerror(-r));
		settings_free(settings);
		goto out;
	}
	r = recorder_start(&rec, m);
	if (r < 0)
		goto out;
	r = manager_start_poller(m, sim ? sim_link : NULL);
	if (r < 0)
		goto out;
	r = firewall_start(&fw, m);
	if (r < 0)
		goto out;
	r = tls_store_open(&tls, settings_str(m->settings, SET_STATE_DIR),
			   settings_str(m->settings, SET_SYSTEM_NAME));
	if (r < 0)
		goto out;
	r = auth_start(&auth, m);
	if (r < 0)
		goto out;
	r = backup_offer_actions(m, auth);
	if (r < 0)
		goto out;
	r = control_start(&ctl, m, recorder_store(rec), auth, settings_str(m->settings, SET_CONTROL_SOCKET));
	if (r < 0)
		goto out;
	r = web_start(&web, &(struct web_deps) {
		.routes = api_routes, .m = m, .store = recorder_store(rec), .auth = auth,
		.fw = fw, .tls = tls });
	if (r < 0)
		goto out;
	if (settings_bool(m->settings, SET_MODBUS_TCP_ENABLED)) {
		r = mbtcp_start(&mbtcp, m, fw);
		if (r < 0)
			goto out;
	}
	if (settings_bool(m->settings, SET_BACNET_ENABLED)) {
		r = bacnet_start(&bacnet, m, fw);
		if (r < 0)
			goto out;
	}
	/* Without its SNMP port (taken, privileged) the gateway still
	 * monitors, logs and serves the rest: the agent alone is left out. */
	if (settings_bool(m->settings, SET_SNMP_ENABLED) &&
	    snmp_start(&snmp, m, recorder_store(rec), fw) < 0)
		log_error("running without the SNMP agent and traps");
	if (snmp) {
		r = trap_start(&traps, m, snmp);
		if (r < 0)
			goto out;
	}
	log_info("upsgated %s started: device %s, control socket %s", PACKAGE_VERSION,
		 sim ? sim_link : settings_str(m->settings, SET_SERIAL_DEVICE),
		 settings_str(m->settings, SET_CONTROL_SOCKET));

	r = manager_run(m);

out:
	/* Jobs finish while the services that asked for them still exist. */
	if (m)
		manager_drain_jobs(m);
	restart = r >= 0 && m && m->restart_requested;
	trap_stop(traps);
	snmp_stop(snmp);
	bacnet_stop(bacnet);
	mbtcp_stop(mbtcp);
	web_stop(web);
	control_stop(ctl);
	auth_stop(auth);
	tls_store_close(tls);
	firewall_stop(fw);
	recorder_stop(rec);
	manager_free(m);
	stop_simulation(sim, sim_dir, sim_link);
	log_info("stopped");
	if (restart) {
		reexec(argv);
		return EXIT_FAILURE;
	}
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
