/* The firewall: an ordered list of accept / reject rules (IPv4/IPv6
 * address + prefix length) that every listener of the daemon applies to
 * each peer before reading anything from it. First match wins; with no
 * rule everything is accepted; settings key firewall.rules. */
#pragma once

#include <stdbool.h>
#include <sys/socket.h>

#include "core/manager.h"

struct firewall;

/* Builds the rules from m->settings and follows reloads. */
int firewall_start(struct firewall **out, struct manager *m);
void firewall_stop(struct firewall *fw);        /* accepts NULL */

/* IPv4-mapped IPv6 peers are matched as IPv4. */
bool firewall_allows(const struct firewall *fw, const struct sockaddr *peer, socklen_t len);

/* Parses "192.0.2.0" / "2001:db8::" with a prefix length; used by the
 * settings check too. 0 or -EINVAL. */
int firewall_parse_rule(const char *address, int prefix, struct sockaddr_storage *net);
