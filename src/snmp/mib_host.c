/* upsAgent's network and clock objects: the gateway is a Linux host, so
 * they come from the operating system (and are read-only over SNMP). */
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "snmp/mib_values.h"

/* The interface and gateway of the IPv4 default route, from the kernel's
 * table (its addresses are the raw network-order words, printed in hex). */
static bool default_route(char *ifname, size_t len, uint32_t *gateway)
{
	FILE *f = fopen("/proc/net/route", "re");
	char line[256];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char name[IF_NAMESIZE + 1];
		unsigned long dest, gw, mask;

		if (sscanf(line, "%16s %lx %lx %*x %*d %*d %*d %lx", name, &dest, &gw, &mask) != 4)
			continue;
		if (dest == 0 && mask == 0) {
			snprintf(ifname, len, "%s", name);
			*gateway = (uint32_t)gw;
			found = true;
		}
	}
	fclose(f);
	return found;
}

uint32_t mib_host_ipv4(enum mib_agent what)
{
	char ifname[IF_NAMESIZE + 1];
	struct ifaddrs *list, *i;
	uint32_t gateway = 0, out = 0;

	if (!default_route(ifname, sizeof(ifname), &gateway))
		return 0;
	if (what == MAGENT_GATEWAY)
		return gateway;
	if (getifaddrs(&list) < 0)
		return 0;
	for (i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		if (what == MAGENT_IP)
			out = ((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr.s_addr;
		else if (i->ifa_netmask)
			out = ((const struct sockaddr_in *)(const void *)i->ifa_netmask)->sin_addr.s_addr;
		break;
	}
	freeifaddrs(list);
	return out;
}

void mib_host_clock(enum mib_agent what, long long now, char *buf, size_t len)
{
	time_t t = (time_t)now;
	struct tm tm;
	long off;

	buf[0] = '\0';
	if (!localtime_r(&t, &tm))
		return;
	switch (what) {
	case MAGENT_DATE:
		strftime(buf, len, "%d/%m/%Y", &tm);
		break;
	case MAGENT_TIME:
		strftime(buf, len, "%H:%M:%S", &tm);
		break;
	case MAGENT_TIMEZONE:
		off = tm.tm_gmtoff / 60;
		snprintf(buf, len, "GMT%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60,
			 labs(off) % 60);
		break;
	default:
		break;
	}
}
