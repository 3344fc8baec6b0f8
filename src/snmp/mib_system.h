/* Writable objects that are settings (sysName, sysContact, sysLocation,
 * and upsIdentName which is the same system.name): a SET checks the value
 * as the settings would and applies it through manager_apply_settings
 * ("changed via SNMP by <who>" in the gateway log). */
#pragma once

#include "snmp/mib.h"

extern const struct mib_set mib_set_system_name;
extern const struct mib_set mib_set_system_contact;
extern const struct mib_set mib_set_system_location;
