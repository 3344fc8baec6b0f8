/* The Modbus TCP server: the UPS's own register map, read only, to one
 * building management system at a time (docs/modbus-tcp.md). */
#pragma once

#include "auth/firewall.h"
#include "core/manager.h"

struct mbtcp;

/* Listens on modbus_tcp.port; main.c starts it when modbus_tcp.enabled. */
int mbtcp_start(struct mbtcp **out, struct manager *m, const struct firewall *fw);
void mbtcp_stop(struct mbtcp *mb);              /* accepts NULL */
