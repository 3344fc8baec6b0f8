/* The settings table. One line per key:
 *   X(ID, "key", type, "default", min, max, choices, flags, "help", items)
 * where items is NO_ITEMS, or ITEMS(array) for a list of groups, or
 * ITEMS_CHECKED(array, check) when an entry needs a check across fields.
 * The enum below and settings_schema[] (settings_schema.c) are both made
 * from this list. Defaults follow the NET VISION manual where it has the
 * setting (checked by tests/unit/test-settings against
 * ../shared/spec/nv_config_defaults.tsv) and DESIGN.md's stable keys. */
#pragma once

#define SETTINGS_LIST(X) \
	X(STATE_DIR, "state_dir", ST_STRING, "/var/lib/upsgate", 1, 200, NULL, SF_RESTART, \
	  "Directory of the database, TLS keys and secrets", NO_ITEMS) \
	X(LOG_LEVEL, "log_level", ST_ENUM, "info", 0, 0, choices_log_level, 0, \
	  "Lowest priority logged: error, warning, notice, info or debug", NO_ITEMS) \
	X(CONTROL_SOCKET, "control.socket", ST_STRING, "/run/upsgate/upsgated.sock", 1, 107, NULL, SF_RESTART, \
	  "Unix socket of the local API used by upsgatectl", NO_ITEMS) \
	X(SERIAL_DEVICE, "serial.device", ST_STRING, "/dev/ttyUSB0", 1, 200, NULL, 0, \
	  "Serial device wired to the UPS or STS (a /dev/serial/by-id/ path survives replugging)", NO_ITEMS) \
	X(SERIAL_BAUD, "serial.baud", ST_ENUM, "auto", 0, 0, choices_baud, 0, \
	  "Baud rate: auto-detected, or fixed when detection does not work", NO_ITEMS) \
	X(SERIAL_SLAVE, "serial.slave", ST_INT, "1", 1, 247, NULL, 0, \
	  "Modbus slave number of the UPS", NO_ITEMS) \
	X(SERIAL_MAP, "serial.map", ST_ENUM, "auto", 0, 0, choices_map, 0, \
	  "Register map: auto-detected, or forced to jbusp, vumap or sts", NO_ITEMS) \
	X(SERIAL_POLL_INTERVAL, "serial.poll_interval", ST_DOUBLE, "2.0", 0.2, 60, NULL, 0, \
	  "Polling rate: seconds between two full reads (measurements)", NO_ITEMS) \
	X(SERIAL_FAST_INTERVAL, "serial.fast_interval", ST_DOUBLE, "0.5", 0.1, 60, NULL, 0, \
	  "Seconds between two reads of the status and alarm words", NO_ITEMS) \
	X(SERIAL_TIMEOUT, "serial.timeout", ST_INT, "0", 0, 2000, NULL, 0, \
	  "Additional serial timeout in ms; 0 = by speed (20 ms at 57600, 50 ms at 19200, 100 ms at 9600)", NO_ITEMS) \
	X(SERIAL_MAX_FAILURES, "serial.max_failures", ST_INT, "3", 1, 100, NULL, 0, \
	  "Consecutive failed polls before communication is declared lost", NO_ITEMS) \
	X(SERIAL_PER_UNIT, "serial.per_unit", ST_BOOL, "true", 0, 0, NULL, 0, \
	  "Also poll each unit and module of a parallel or modular system", NO_ITEMS) \
	X(SERIAL_UNIT_STRIDE, "serial.unit_stride", ST_INT, "4096", 0, 61440, NULL, 0, \
	  "Register offset between units (docs/addressing.md); 0 = do not poll units", NO_ITEMS) \
	X(SERIAL_MODULE_STRIDE, "serial.module_stride", ST_INT, "256", 0, 4096, NULL, 0, \
	  "Register offset between modules (docs/addressing.md); 0 = do not poll modules", NO_ITEMS) \
	X(SERIAL_REOPEN_MAX, "serial.reopen_max", ST_DOUBLE, "30", 1, 3600, NULL, 0, \
	  "Longest wait in seconds between two attempts to reopen a vanished device", NO_ITEMS) \
	X(SERIAL_TRACE_FRAMES, "serial.trace_frames", ST_INT, "0", 0, 10000, NULL, 0, \
	  "Frames kept in the serial trace ring; 0 = trace off", NO_ITEMS) \
	X(SYSTEM_NAME, "system.name", ST_STRING, "upsgate", 0, 63, NULL, 0, \
	  "Name of this gateway (SNMP sysName, page titles)", NO_ITEMS) \
	X(SYSTEM_CONTACT, "system.contact", ST_STRING, "", 0, 63, NULL, 0, \
	  "Contact person (SNMP sysContact)", NO_ITEMS) \
	X(SYSTEM_LOCATION, "system.location", ST_STRING, "", 0, 63, NULL, 0, \
	  "Location of the UPS (SNMP sysLocation)", NO_ITEMS) \
	X(SYSTEM_TEMPERATURE_UNIT, "system.temperature_unit", ST_ENUM, "C", 0, 0, choices_temp_unit, 0, \
	  "Temperature unit shown to people: C or F", NO_ITEMS) \
	X(SYSTEM_DATA_UNIT, "system.data_unit", ST_INT, "0", 0, 12, NULL, 0, \
	  "Data Unit Selection: 0 = system level, 1 to 12 = that unit only", NO_ITEMS) \
	X(HTTP_ENABLED, "http.enabled", ST_BOOL, "true", 0, 0, NULL, SF_RESTART, \
	  "Serve the web interface over HTTP", NO_ITEMS) \
	X(HTTP_PORT, "http.port", ST_INT, "80", 1, 65535, NULL, SF_RESTART, \
	  "HTTP port", NO_ITEMS) \
	X(HTTPS_ENABLED, "https.enabled", ST_BOOL, "true", 0, 0, NULL, SF_RESTART, \
	  "Serve the web interface over HTTPS", NO_ITEMS) \
	X(HTTPS_PORT, "https.port", ST_INT, "443", 1, 65535, NULL, SF_RESTART, \
	  "HTTPS port", NO_ITEMS) \
	X(HTTP_REDIRECT_HTTPS, "http.redirect_https", ST_BOOL, "false", 0, 0, NULL, 0, \
	  "Answer every HTTP request with a redirect to HTTPS", NO_ITEMS) \
	X(WEB_ROOT, "web.root", ST_STRING, PKGDATADIR "/www", 1, 200, NULL, SF_RESTART, \
	  "Directory of the web interface's static files", NO_ITEMS) \
	X(WEB_MAX_CONNECTIONS, "web.max_connections", ST_INT, "64", 4, 1024, NULL, SF_RESTART, \
	  "Most simultaneous HTTP and HTTPS connections, each server", NO_ITEMS) \
	X(WEB_PER_IP_CONNECTIONS, "web.per_ip_connections", ST_INT, "16", 1, 1024, NULL, SF_RESTART, \
	  "Most simultaneous connections from one IP address", NO_ITEMS) \
	X(WEB_TIMEOUT, "web.timeout", ST_INT, "30", 5, 600, NULL, SF_RESTART, \
	  "Seconds an idle or slow HTTP connection is kept", NO_ITEMS) \
	X(WEB_LINKS, "web.links", ST_LIST, "", 0, 4, NULL, 0, \
	  "External links of the web interface's menu (§17)", ITEMS_CHECKED(web_link_items, check_web_link)) \
	X(SNMP_ENABLED, "snmp.enabled", ST_BOOL, "true", 0, 0, NULL, SF_RESTART, \
	  "Run the SNMP agent", NO_ITEMS) \
	X(SNMP_PORT, "snmp.port", ST_INT, "161", 1, 65535, NULL, SF_RESTART, \
	  "SNMP agent UDP port", NO_ITEMS) \
	X(SNMP_READ_COMMUNITY, "snmp.read_community", ST_STRING, "public", 1, 31, NULL, SF_SECRET, \
	  "SNMP v1/v2c read community", NO_ITEMS) \
	X(SNMP_WRITE_COMMUNITY, "snmp.write_community", ST_STRING, "private", 1, 31, NULL, SF_SECRET, \
	  "SNMP v1/v2c write community", NO_ITEMS) \
	X(SNMP_WRITE_ENABLED, "snmp.write_enabled", ST_BOOL, "false", 0, 0, NULL, 0, \
	  "Accept SNMP SET requests", NO_ITEMS) \
	X(SNMP_SYS_OBJECT_ID, "snmp.sys_object_id", ST_STRING, "1.3.6.1.4.1.4555.1.1.1", 3, 127, NULL, 0, \
	  "sysObjectID; the NET VISION default lets NMSs and NUT's snmp-ups recognise the device", SYNTAX(syntax_oid)) \
	X(SNMP_ALARM_TRAP_FILTER, "snmp.alarm_trap_filter", ST_BOOL, "false", 0, 0, NULL, 0, \
	  "SNMP TRAP / email Filter: also send traps 3 and 4 to receivers that filter by severity", NO_ITEMS) \
	X(SNMP_USERS, "snmp.users", ST_LIST, "", 0, 8, NULL, 0, \
	  "SNMPv3 users", ITEMS_CHECKED(snmp_user_items, check_snmp_user)) \
	X(SNMP_RECEIVERS, "snmp.receivers", ST_LIST, "", 0, 8, NULL, 0, \
	  "SNMP trap receivers", ITEMS_CHECKED(snmp_receiver_items, check_snmp_receiver)) \
	X(MODBUS_TCP_ENABLED, "modbus_tcp.enabled", ST_BOOL, "false", 0, 0, NULL, SF_RESTART, \
	  "Serve the UPS registers over Modbus TCP (read only)", NO_ITEMS) \
	X(MODBUS_TCP_PORT, "modbus_tcp.port", ST_INT, "502", 1, 65535, NULL, SF_RESTART, \
	  "Modbus TCP port", NO_ITEMS) \
	X(MODBUS_TCP_IDLE_TIMEOUT, "modbus_tcp.idle_timeout", ST_INT, "60", 1, 3600, NULL, 0, \
	  "Seconds without a request before a Modbus TCP connection is closed", NO_ITEMS) \
	X(BACNET_ENABLED, "bacnet.enabled", ST_BOOL, "false", 0, 0, NULL, SF_RESTART, \
	  "Serve BACnet/IP (read only)", NO_ITEMS) \
	X(BACNET_PORT, "bacnet.port", ST_INT, "47808", 1, 65535, NULL, SF_RESTART, \
	  "BACnet/IP UDP port", NO_ITEMS) \
	X(BACNET_DEVICE_ID, "bacnet.device_id", ST_INT, "1338", 0, 4194302, NULL, SF_RESTART, \
	  "BACnet Device Identifier", NO_ITEMS) \
	X(BACNET_UNIT, "bacnet.unit", ST_INT, "0", 0, 15, NULL, 0, \
	  "BACnet unit number: 0 = system", NO_ITEMS) \
	X(BACNET_COV_LIFETIME_MAX, "bacnet.cov_lifetime_max", ST_INT, "3600", 60, 86400, NULL, 0, \
	  "Longest BACnet COV subscription in seconds; longer or indefinite ones are cut to this", NO_ITEMS) \
	X(NUT_ENABLED, "nut.enabled", ST_BOOL, "false", 0, 0, NULL, SF_RESTART, \
	  "Serve NUT's network protocol (upsc, upsmon)", NO_ITEMS) \
	X(NUT_PORT, "nut.port", ST_INT, "3493", 1, 65535, NULL, SF_RESTART, \
	  "NUT server TCP port", NO_ITEMS) \
	X(FIREWALL_RULES, "firewall.rules", ST_LIST, "", 0, 32, NULL, 0, \
	  "Ordered accept/reject rules applied to every listener; first match wins, none = accept all", \
	  ITEMS_CHECKED(firewall_rule_items, check_firewall_rule)) \
	X(HISTORY_INTERVAL, "history.interval", ST_INT, "60", 1, 86400, NULL, 0, \
	  "History Log Interval in seconds", NO_ITEMS) \
	X(HISTORY_EXTENDED_INTERVAL, "history.extended_interval", ST_INT, "3600", 10, 604800, NULL, 0, \
	  "Extend Log Interval in seconds (min/avg/max records)", NO_ITEMS) \
	X(HISTORY_RETENTION_DAYS, "history.retention_days", ST_INT, "365", 1, 3650, NULL, 0, \
	  "Days of history kept", NO_ITEMS) \
	X(HISTORY_MAX_ROWS, "history.max_rows", ST_INT, "0", 0, 100000000, NULL, 0, \
	  "Most history rows kept; 0 = limited by age only", NO_ITEMS) \
	X(HISTORY_EXTENDED_RETENTION_DAYS, "history.extended_retention_days", ST_INT, "3650", 1, 36500, NULL, 0, \
	  "Days of extended (min/avg/max) history kept", NO_ITEMS) \
	X(HISTORY_COMPAT_2048, "history.compat_2048", ST_BOOL, "false", 0, 0, NULL, 0, \
	  "Keep 2048 records per log, as NET VISION does, instead of the limits above", NO_ITEMS) \
	X(EVENTS_RETENTION_DAYS, "events.retention_days", ST_INT, "365", 1, 36500, NULL, 0, \
	  "Days of UPS and gateway events kept", NO_ITEMS) \
	X(EVENTS_MAX_ROWS, "events.max_rows", ST_INT, "0", 0, 100000000, NULL, 0, \
	  "Most events kept per event log; 0 = limited by age only", NO_ITEMS) \
	X(EVENTS_DEBOUNCE, "events.debounce", ST_DOUBLE, "1.0", 0, 60, NULL, 0, \
	  "Seconds an alarm or status change must hold before it becomes an event", NO_ITEMS) \
	X(AUTH_LOGIN_TIMEOUT, "auth.login_timeout", ST_INT, "300", 30, 86400, NULL, 0, \
	  "Login Timeout: seconds an idle session stays open", NO_ITEMS) \
	X(AUTH_PASSWORD_DAYS, "auth.password_days", ST_INT, "90", 0, 720, NULL, 0, \
	  "Days before a password must be changed; 0 = never", NO_ITEMS) \
	X(AUTH_LOCKOUT_ATTEMPTS, "auth.lockout_attempts", ST_INT, "3", 1, 100, NULL, 0, \
	  "Failed logins before an account is locked", NO_ITEMS) \
	X(AUTH_LOCKOUT_MINUTES, "auth.lockout_minutes", ST_INT, "15", 1, 1440, NULL, 0, \
	  "Minutes an account stays locked", NO_ITEMS) \
	X(AUTH_RADIUS_ENABLED, "auth.radius.enabled", ST_BOOL, "false", 0, 0, NULL, 0, \
	  "Check logins against RADIUS first (local accounts when the user is unknown there)", NO_ITEMS) \
	X(AUTH_RADIUS_PORT, "auth.radius.port", ST_INT, "1812", 1, 65535, NULL, 0, \
	  "RADIUS UDP port", NO_ITEMS) \
	X(AUTH_RADIUS_PRIMARY, "auth.radius.primary", ST_STRING, "", 0, 255, NULL, 0, \
	  "Primary RADIUS server: IP address or host name", NO_ITEMS) \
	X(AUTH_RADIUS_PRIMARY_SECRET, "auth.radius.primary_secret", ST_STRING, "", 0, 64, NULL, SF_SECRET, \
	  "Shared secret of the primary RADIUS server", NO_ITEMS) \
	X(AUTH_RADIUS_SECONDARY, "auth.radius.secondary", ST_STRING, "", 0, 255, NULL, 0, \
	  "Secondary RADIUS server; empty = none", NO_ITEMS) \
	X(AUTH_RADIUS_SECONDARY_SECRET, "auth.radius.secondary_secret", ST_STRING, "", 0, 64, NULL, SF_SECRET, \
	  "Shared secret of the secondary RADIUS server", NO_ITEMS) \
	X(AUTH_RADIUS_TIMEOUT, "auth.radius.timeout", ST_INT, "1", 1, 30, NULL, 0, \
	  "Packet Timeout: seconds before a RADIUS request is sent again", NO_ITEMS) \
	X(AUTH_RADIUS_RETRIES, "auth.radius.retries", ST_INT, "3", 0, 10, NULL, 0, \
	  "Packet Retry: times a RADIUS request is sent again", NO_ITEMS) \
	X(AUTH_RADIUS_USERS, "auth.radius.users", ST_LIST, "", 0, 8, NULL, 0, \
	  "RADIUS users and their access; a RADIUS user not listed gets Read Only", ITEMS(radius_user_items))

#define SETTINGS_ENUM_(id, ...) SET_##id,
enum setting_id {
	SETTINGS_LIST(SETTINGS_ENUM_)
	_SET_COUNT,
};
#undef SETTINGS_ENUM_
