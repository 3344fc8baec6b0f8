/* Names and texts of the model's enums: the only place they become
 * strings. Texts use the manual's wording (§12.1.5 "UPS Status",
 * §12.1.6 "Battery Status", §12.1.1 synoptic colours, §13.2 "STS STATUS"). */
#include "device/model.h"

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* Index a name table with a bounds check: an out-of-range value (a
 * corrupted or newer snapshot) reads as the table's "unknown" entry. */
#define NAME_OR(table, i, fallback) \
	((unsigned)(i) < ELEMENTSOF(table) && (table)[i] ? (table)[i] : (fallback))

static const char *const map_names[] = {
	[MAP_NONE] = "none",
	[MAP_JBUSP] = "JBUSP",
	[MAP_VUMAP] = "VU-MAP",
	[MAP_STS] = "STS",
};
_Static_assert(ELEMENTSOF(map_names) == _MAP_COUNT, "map_names");

static const char *const topology_names[] = {
	[TOPO_UNKNOWN] = "unknown",
	[TOPO_SINGLE] = "single",
	[TOPO_MODULAR_UNIT] = "modular-unit",
	[TOPO_PARALLEL] = "parallel",
	[TOPO_MODULAR_SYSTEM] = "modular-system",
	[TOPO_STS] = "sts",
};
_Static_assert(ELEMENTSOF(topology_names) == _TOPO_COUNT, "topology_names");

static const char *const bypass_names[] = {
	[BYPASS_NONE] = "none",
	[BYPASS_DISTRIBUTED] = "distributed",
	[BYPASS_CENTRALISED] = "centralised",
};

static const char *const level_names[] = {
	[LEVEL_NONE] = "none",
	[LEVEL_INFO] = "information",
	[LEVEL_WARNING] = "warning",
	[LEVEL_CRITICAL] = "critical",
};

static const char level_letters[] = {
	[LEVEL_NONE] = ' ',
	[LEVEL_INFO] = 'I',
	[LEVEL_WARNING] = 'W',
	[LEVEL_CRITICAL] = 'C',
};

static const char *const comm_state_names[] = {
	[COMM_STARTING] = "starting",
	[COMM_OK] = "ok",
	[COMM_LOST] = "lost",
};

static const char *const flag_names[] = {
	[FLAG_LOAD_ON_INVERTER] = "load_on_inverter",
	[FLAG_ON_BATTERY] = "on_battery",
	[FLAG_ON_AUTO_BYPASS] = "on_auto_bypass",
	[FLAG_ON_MAINT_BYPASS] = "on_maint_bypass",
	[FLAG_LOAD_OFF] = "load_off",
	[FLAG_ECO_MODE] = "eco_mode",
	[FLAG_ENERGY_SAVER] = "energy_saver",
	[FLAG_STANDBY] = "standby",
	[FLAG_SERVICE_MODE] = "service_mode",
	[FLAG_LINE_INTERACTIVE] = "line_interactive",
	[FLAG_AUTOTEST] = "autotest",
	[FLAG_OPERATING] = "operating",
	[FLAG_AVAILABLE] = "available",
	[FLAG_IMMINENT_STOP] = "imminent_stop",
	[FLAG_BATTERY_OK] = "battery_ok",
	[FLAG_BATTERY_CHARGING] = "battery_charging",
	[FLAG_BATTERY_CHARGED] = "battery_charged",
	[FLAG_BATTERY_LOW] = "battery_low",
	[FLAG_BATTERY_DISCHARGED] = "battery_discharged",
	[FLAG_BATTERY_DISCONNECTED] = "battery_disconnected",
	[FLAG_BATTERY_TEST] = "battery_test",
	[FLAG_BATTERY_TEST_FAILED] = "battery_test_failed",
	[FLAG_BATTERY_TO_INPUT] = "battery_to_input",
	[FLAG_BATTERY_ALARM] = "battery_alarm",
	[FLAG_BATTERY_ROOM_ALARM] = "battery_room_alarm",
	[FLAG_BATTERY_TEMP_ALARM] = "battery_temp_alarm",
	[FLAG_RECTIFIER_INPUT_OK] = "rectifier_input_ok",
	[FLAG_RECTIFIER_ON] = "rectifier_on",
	[FLAG_RECTIFIER_FAULT] = "rectifier_fault",
	[FLAG_RECTIFIER_PREVENTIVE] = "rectifier_preventive",
	[FLAG_INVERTER_ON] = "inverter_on",
	[FLAG_INVERTER_FAULT] = "inverter_fault",
	[FLAG_INVERTER_PREVENTIVE] = "inverter_preventive",
	[FLAG_BYPASS_INPUT_OK] = "bypass_input_ok",
	[FLAG_BYPASS_FAULT] = "bypass_fault",
	[FLAG_BYPASS_PREVENTIVE] = "bypass_preventive",
	[FLAG_OVERLOAD] = "overload",
	[FLAG_GENERAL_ALARM] = "general_alarm",
	[FLAG_GENSET_ON] = "genset_on",
	[FLAG_PARALLEL] = "parallel",
	[FLAG_REMOTE_DISABLED] = "remote_disabled",
	[FLAG_STS_S1_OK] = "sts_s1_ok",
	[FLAG_STS_S1_CRITICAL] = "sts_s1_critical",
	[FLAG_STS_S1_OUT_OF_TOL] = "sts_s1_out_of_tolerance",
	[FLAG_STS_S1_ABSENT] = "sts_s1_absent",
	[FLAG_STS_S2_OK] = "sts_s2_ok",
	[FLAG_STS_S2_CRITICAL] = "sts_s2_critical",
	[FLAG_STS_S2_OUT_OF_TOL] = "sts_s2_out_of_tolerance",
	[FLAG_STS_S2_ABSENT] = "sts_s2_absent",
	[FLAG_STS_S1_PREFERRED] = "sts_s1_preferred",
	[FLAG_STS_ON_PREFERRED] = "sts_on_preferred",
	[FLAG_STS_ON_ALTERNATE] = "sts_on_alternate",
	[FLAG_STS_ON_S1] = "sts_on_s1",
	[FLAG_STS_ON_S2] = "sts_on_s2",
	[FLAG_STS_MAINT_BYPASS1] = "sts_maint_bypass1",
	[FLAG_STS_MAINT_BYPASS2] = "sts_maint_bypass2",
	[FLAG_STS_SYNCHRONISED] = "sts_synchronised",
};
_Static_assert(ELEMENTSOF(flag_names) == _FLAG_COUNT, "flag_names");
_Static_assert(_FLAG_COUNT <= 64, "flags fit level_data.flags");

static const char *const ups_status_texts[] = {
	[UPS_STATUS_UNKNOWN] = "Unknown",
	[UPS_STATUS_SERVICE_MODE] = "In Service mode",
	[UPS_STATUS_MAINT_BYPASS] = "On maintenance bypass",
	[UPS_STATUS_IMMINENT_STOP] = "Imminent STOP",
	[UPS_STATUS_AUTOTEST] = "Auto-test procedure",
	[UPS_STATUS_ON_BATTERY] = "Operating on Battery",
	[UPS_STATUS_BATTERY_TEST] = "Battery test in progress",
	[UPS_STATUS_ON_INVERTER] = "Load protected by Inverter",
	[UPS_STATUS_NORMAL] = "Normal mode",
	[UPS_STATUS_ECO_MODE] = "UPS in eco mode",
	[UPS_STATUS_LINE_INTERACTIVE] = "Line-Interactive mode",
	[UPS_STATUS_ON_BYPASS] = "Load on Bypass",
	[UPS_STATUS_AVAILABLE] = "Unit Available",
	[UPS_STATUS_STANDBY] = "On standby",
	[UPS_STATUS_LOAD_OFF] = "Load OFF",
	[UPS_STATUS_STS_MAINT_BYPASS1] = "On maintenance bypass 1",
	[UPS_STATUS_STS_MAINT_BYPASS2] = "On maintenance bypass 2",
	[UPS_STATUS_STS_ON_PREFERRED] = "On preferred source",
	[UPS_STATUS_STS_ON_ALTERNATE] = "On alternate source",
};
_Static_assert(ELEMENTSOF(ups_status_texts) == _UPS_STATUS_COUNT, "ups_status_texts");

/* §12.1.1 synoptic "Output" column and §13.1 STS outputs. */
static const char *const output_source_texts[] = {
	[OUTPUT_UNKNOWN] = "Unknown",
	[OUTPUT_NONE] = "Load OFF",
	[OUTPUT_INVERTER] = "On inverter",
	[OUTPUT_BATTERY] = "On battery",
	[OUTPUT_BYPASS] = "On bypass",
	[OUTPUT_ECO] = "On eco mode",
	[OUTPUT_MAINT_BYPASS] = "On maintenance bypass",
	[OUTPUT_STS_S1] = "On source 1",
	[OUTPUT_STS_S2] = "On source 2",
};
_Static_assert(ELEMENTSOF(output_source_texts) == _OUTPUT_COUNT, "output_source_texts");

static const char *const battery_status_texts[] = {
	[BATTERY_UNKNOWN] = "Unknown",
	[BATTERY_DISCONNECTED] = "Battery disconnected",
	[BATTERY_LOW] = "Battery low",
	[BATTERY_DISCHARGED] = "Battery discharged",
	[BATTERY_DISCHARGING] = "Battery discharging",
	[BATTERY_TO_INPUT] = "Battery to input",
	[BATTERY_ALARM] = "Battery alarm",
	[BATTERY_ROOM_ALARM] = "Battery room alarm",
	[BATTERY_TEMP_ALARM] = "Battery temperature alarm",
	[BATTERY_TEST] = "Battery test running",
	[BATTERY_CHARGING] = "Battery charging",
	[BATTERY_OK] = "Battery OK",
};
_Static_assert(ELEMENTSOF(battery_status_texts) == _BATTERY_COUNT, "battery_status_texts");

static const char *const load_status_texts[] = {
	[LOAD_UNKNOWN] = "Unknown",
	[LOAD_OFF] = "Load OFF",
	[LOAD_PROTECTED] = "Load protected",
	[LOAD_NOT_PROTECTED] = "Load not protected",
	[LOAD_OVERLOAD] = "Overload",
};
_Static_assert(ELEMENTSOF(load_status_texts) == _LOAD_COUNT, "load_status_texts");

static const char *const path_state_texts[] = {
	[PATH_UNKNOWN] = "Unknown",
	[PATH_OFF] = "Off",
	[PATH_ON] = "On",
	[PATH_PREVENTIVE] = "On + prev. alarm",
	[PATH_FAULT] = "Critical alarm",
};
_Static_assert(ELEMENTSOF(path_state_texts) == _PATH_COUNT, "path_state_texts");

static const char *const source_state_texts[] = {
	[SOURCE_UNKNOWN] = "Unknown",
	[SOURCE_OK] = "OK",
	[SOURCE_OUT_OF_TOLERANCE] = "Out of tolerance",
	[SOURCE_CRITICAL] = "Critical",
	[SOURCE_ABSENT] = "Absent",
};
_Static_assert(ELEMENTSOF(source_state_texts) == _SOURCE_COUNT, "source_state_texts");

const char *map_name(enum ups_map m)
{
	return NAME_OR(map_names, m, "none");
}

const char *topology_name(enum topology t)
{
	return NAME_OR(topology_names, t, "unknown");
}

const char *bypass_name(enum bypass_arch b)
{
	return NAME_OR(bypass_names, b, "none");
}

const char *level_name(enum level l)
{
	return NAME_OR(level_names, l, "none");
}

char level_letter(enum level l)
{
	return (unsigned)l < ELEMENTSOF(level_letters) ? level_letters[l] : ' ';
}

const char *comm_state_name(enum comm_state c)
{
	return NAME_OR(comm_state_names, c, "lost");
}

const char *flag_name(enum ups_flag f)
{
	return NAME_OR(flag_names, f, "unknown");
}

const char *ups_status_text(enum ups_status s)
{
	return NAME_OR(ups_status_texts, s, "Unknown");
}

const char *output_source_text(enum output_source s)
{
	return NAME_OR(output_source_texts, s, "Unknown");
}

const char *battery_status_text(enum battery_status s)
{
	return NAME_OR(battery_status_texts, s, "Unknown");
}

const char *load_status_text(enum load_status s)
{
	return NAME_OR(load_status_texts, s, "Unknown");
}

const char *path_state_text(enum path_state s)
{
	return NAME_OR(path_state_texts, s, "Unknown");
}

const char *source_state_text(enum source_state s)
{
	return NAME_OR(source_state_texts, s, "Unknown");
}
