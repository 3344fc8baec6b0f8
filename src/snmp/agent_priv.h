/* Inside the SNMP agent: the state agent.c, agent_io.c, agent_access.c,
 * agent_usm.c, agent_handler.c and agent_engine.c share. Nothing here
 * is seen outside src/snmp. */
#pragma once

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/library/large_fd_set.h>

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "snmp/agent.h"
#include "snmp/mib.h"

#define AGENT_APP "upsgated"            /* net-snmp's application type */
#define AGENT_MAX_FDS 16                /* udp + udp6, 8 trap receivers, and room to spare */
#define AGENT_MAX_SESSIONS 2
#define AGENT_MAX_ROOTS 12
#define AGENT_MAX_ALARMS 64
#define AGENT_PEER_MAX 64               /* "[2001:db8::1]:161" */

/* Rate limit of failing requests (wrong community, unknown v3 user,
 * wrong key, too low a security level): past RL_FAILURES failures from
 * one address within RL_WINDOW_S seconds, its packets are dropped for
 * RL_BLOCK_S seconds. The table is bounded: the oldest entry makes room. */
#define RL_FAILURES 5
#define RL_WINDOW_S 60
#define RL_BLOCK_S 60
#define RL_TABLE 256

struct rl_entry {
	struct sockaddr_storage addr;   /* port zeroed: one entry per host */
	uint64_t first_usec;            /* start of the current window */
	uint64_t blocked_until_usec;    /* 0: not blocked */
	uint64_t last_usec;
	unsigned failures;
	bool used;
};

struct rl_table {
	struct rl_entry e[RL_TABLE];
};

enum agent_access {
	ACCESS_NONE = 0,
	ACCESS_READ,
	ACCESS_WRITE,
};

/* The access rules in force, rebuilt from the settings on every reload. */
struct agent_rules {
	char read_community[32];
	char write_community[32];
	bool write_enabled;
	size_t n_users;
	struct agent_user {
		char name[32];
		bool write;             /* level read-write */
		int min_level;          /* SNMP_SEC_LEVEL_*: follows from auth/priv */
	} users[8];
};

struct agent_fd {
	int fd;
	sd_event_source *source;
};

struct snmp_agent {
	struct manager *m;
	struct store *store;
	struct firewall *fw;
	struct snmp_ctx ctx;                    /* the SET being processed */

	/* sd-event glue (agent_io.c) */
	struct agent_fd fds[AGENT_MAX_FDS];
	size_t n_fds;
	sd_event_source *timer;
	sd_event_source *users_defer;           /* v3 users rebuilt after a reload */

	/* net-snmp state (agent.c) */
	bool netsnmp_up;
	netsnmp_session *sessions[AGENT_MAX_SESSIONS];
	size_t n_sessions;
	netsnmp_handler_registration *regs[AGENT_MAX_ROOTS];
	size_t n_regs;
	char persist_dir[256];

	/* the view (agent_handler.c builds it lazily) */
	struct mib_view *view;
	uint64_t view_seq;                      /* snapshot seq it was built from */
	bool view_stale;                        /* reload or alarm change since */
	uint64_t start_usec;                    /* CLOCK_MONOTONIC of sysUpTime 0 */
	struct timespec started;                /* CLOCK_REALTIME of the same */

	/* what the builders read besides the snapshot (agent.c) */
	struct event alarms[AGENT_MAX_ALARMS];
	size_t n_alarms;
	uint64_t next_alarm_id;
	struct event_sub *sub;
	int64_t on_battery_since;
	bool was_on_battery;
	uint32_t input_line_bads;

	/* access (agent_access.c) */
	struct agent_rules rules;
	struct rl_table rl;
	struct sockaddr_storage peer;           /* the packet being processed */
	socklen_t peer_len;
	unsigned long failures_seen;            /* failure counters before it */
	unsigned long refusals;                 /* v3 users below their level */
};

/* agent_io.c */
int agent_io_start(struct snmp_agent *a);
void agent_io_stop(struct snmp_agent *a);
/* After anything that may have changed net-snmp's sockets or timers. */
void agent_io_refresh(struct snmp_agent *a);
/* Before a socket net-snmp watches for us is closed: once closed, its
 * number may come back as another socket that a stale io source would
 * never report (epoll dropped the old one) or whose registration it
 * would remove. */
void agent_io_forget(struct snmp_agent *a, int fd);

/* agent_access.c */
void agent_rules_load(struct agent_rules *r, const struct settings *s);
int agent_access_start(struct snmp_agent *a);
void agent_access_stop(struct snmp_agent *a);
/* net-snmp session hook before a packet is parsed: 0 drops it. */
int agent_pre_parse(netsnmp_session *s, netsnmp_transport *t, void *opaque, int len);
/* After a packet is processed: a failure it caused counts for its sender. */
void agent_access_account(struct snmp_agent *a);
/* What the sender of [pdu] may do; [who] says who it is (never a secret). */
enum agent_access agent_access_of(const struct snmp_agent *a, const netsnmp_pdu *pdu,
				  char *who, size_t len);
void agent_peer_text(const struct sockaddr *sa, socklen_t len, char *buf, size_t size);
/* The sender of [pdu] from its transport data. */
socklen_t agent_pdu_peer(const netsnmp_pdu *pdu, struct sockaddr_storage *out);
/* Rate limiter, on its own for the unit tests. */
bool rl_blocked(struct rl_table *t, const struct sockaddr *sa, uint64_t now_usec);
/* true the first time the address gets blocked (to log it once). */
bool rl_fail(struct rl_table *t, const struct sockaddr *sa, uint64_t now_usec);

/* agent_usm.c */
/* Replaces every v3 user by those of the settings. */
int agent_usm_load(const struct settings *s);
void agent_usm_clear(void);

/* agent_handler.c */
int agent_handlers_register(struct snmp_agent *a);
void agent_handlers_unregister(struct snmp_agent *a);
/* The view for the latest snapshot and settings, rebuilt if needed. */
struct mib_view *agent_view(struct snmp_agent *a);
uint64_t agent_uptime_cs(const struct snmp_agent *a);

/* agent_engine.c: snmpEngine, usmStats and the snmp group counters. */
int agent_engine_register(struct snmp_agent *a);

uint64_t agent_now_usec(void);          /* CLOCK_MONOTONIC */
