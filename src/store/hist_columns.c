#include "store/hist_columns.h"

#include <string.h>

#include "device/meas.h"

#define H(p, t) [HSET_UPS_HISTORY] = { p, t }
#define E(p, t) [HSET_UPS_EXTENDED] = { p, t }
#define S(p, t) [HSET_STS_HISTORY] = { p, t }
#define M(p, t) [HSET_EMD_HISTORY] = { p, t }

/* Positions are the spec's `order`; for the extended log the position of
 * the "Min" column (Max and Avg follow). Temperatures are stored in °C;
 * the temperature unit setting is applied at the edge. */
const struct hist_column hist_columns[] = {
	{ MEAS_INPUT_V_L1, "input.voltage.l1", "input_voltage_l1",
	  { H(2, "Input Voltage (V) R"), E(3, "Input Voltage (V) R") } },
	{ MEAS_INPUT_V_L2, "input.voltage.l2", "input_voltage_l2",
	  { H(3, "Input Voltage (V) S"), E(6, "Input Voltage (V) S") } },
	{ MEAS_INPUT_V_L3, "input.voltage.l3", "input_voltage_l3",
	  { H(4, "Input Voltage (V) T"), E(9, "Input Voltage (V) T") } },
	{ MEAS_OUTPUT_V_L1, "output.voltage.l1", "output_voltage_l1",
	  { H(5, "Output Voltage (V) R"), E(15, "Output Voltage (V) R") } },
	{ MEAS_OUTPUT_V_L2, "output.voltage.l2", "output_voltage_l2",
	  { H(6, "Output Voltage (V) S"), E(18, "Output Voltage (V) S") } },
	{ MEAS_OUTPUT_V_L3, "output.voltage.l3", "output_voltage_l3",
	  { H(7, "Output Voltage (V) T"), E(21, "Output Voltage (V) T") } },
	{ MEAS_INPUT_FREQ, "input.frequency", "input_frequency",
	  { H(8, "Input frequency (Hz)"), E(12, "Input Frequency (Hz)") } },
	{ MEAS_OUTPUT_LOAD_L1, "output.load.l1", "output_load_l1",
	  { H(9, "Output Load (%) R"), E(33, "Output Load Rate (%) R") } },
	{ MEAS_OUTPUT_LOAD_L2, "output.load.l2", "output_load_l2",
	  { H(10, "Output Load (%) S"), E(36, "Output Load Rate (%) S") } },
	{ MEAS_OUTPUT_LOAD_L3, "output.load.l3", "output_load_l3",
	  { H(11, "Output Load (%) T"), E(39, "Output Load Rate (%) T") } },
	{ MEAS_BATTERY_CHARGE, "battery.charge", "battery_charge",
	  { H(12, "Battery Capacity (%)"), E(42, "Battery Capacity (%)") } },
	{ MEAS_AMBIENT_TEMP, "ambient.temperature", "ambient_temperature",
	  { H(13, "UPS temperature (°C)"), E(45, "UPS Temperature (°C)") } },
	{ MEAS_OUTPUT_I_L1, "output.current.l1", "output_current_l1",
	  { E(24, "Output Current (A) R"), S(7, "Output Current L1") } },
	{ MEAS_OUTPUT_I_L2, "output.current.l2", "output_current_l2",
	  { E(27, "Output Current (A) S"), S(8, "Output Current L2") } },
	{ MEAS_OUTPUT_I_L3, "output.current.l3", "output_current_l3",
	  { E(30, "Output Current (A) T"), S(9, "Output Current L3") } },
	{ MEAS_OUTPUT_FREQ, "output.frequency", "output_frequency",
	  { S(10, "Output frequency") } },
	{ MEAS_STS_S1_V_L1, "sts.source1.voltage.l1", "sts_source1_voltage_l1",
	  { S(1, "Source 1 voltage L1") } },
	{ MEAS_STS_S1_V_L2, "sts.source1.voltage.l2", "sts_source1_voltage_l2",
	  { S(2, "Source 1 voltage L2") } },
	{ MEAS_STS_S1_V_L3, "sts.source1.voltage.l3", "sts_source1_voltage_l3",
	  { S(3, "Source 1 voltage L3") } },
	{ MEAS_STS_S2_V_L1, "sts.source2.voltage.l1", "sts_source2_voltage_l1",
	  { S(4, "Source 2 voltage L1") } },
	{ MEAS_STS_S2_V_L2, "sts.source2.voltage.l2", "sts_source2_voltage_l2",
	  { S(5, "Source 2 voltage L2") } },
	{ MEAS_STS_S2_V_L3, "sts.source2.voltage.l3", "sts_source2_voltage_l3",
	  { S(6, "Source 2 voltage L3") } },
	{ MEAS_STS_SS1_TEMP, "sts.ss1.temperature", "sts_ss1_temperature",
	  { S(11, "SW1 temperature") } },
	{ MEAS_STS_SS2_TEMP, "sts.ss2.temperature", "sts_ss2_temperature",
	  { S(12, "SW2 temperature") } },
	/* The EMD sensor has no model source yet: the columns exist (NULL)
	 * so that adding it changes no log schema. */
	{ -1, "emd.temperature", "emd_temperature",
	  { M(1, "EMD Temperature (°C)") } },
	{ -1, "emd.humidity", "emd_humidity",
	  { M(2, "EMD Humidity (%)") } },
};

const size_t hist_columns_count = sizeof(hist_columns) / sizeof(hist_columns[0]);

static const char *const set_names[_HSET_COUNT] = {
	[HSET_UPS_HISTORY] = "ups_history",
	[HSET_UPS_EXTENDED] = "ups_extended_history",
	[HSET_STS_HISTORY] = "sts_history",
	[HSET_EMD_HISTORY] = "emd_history",
};

const char *hist_set_name(enum hist_set set)
{
	return set < _HSET_COUNT ? set_names[set] : NULL;
}

const struct hist_column *hist_column_find(const char *key)
{
	for (size_t i = 0; i < hist_columns_count; i++)
		if (strcmp(hist_columns[i].key, key) == 0)
			return &hist_columns[i];
	return NULL;
}

size_t hist_set_columns(enum hist_set set, const struct hist_column **out, size_t max)
{
	size_t n = 0;

	if (set >= _HSET_COUNT)
		return 0;
	/* Positions are small: a pass per position keeps the manual's order
	 * without a sort. */
	for (unsigned pos = 1; pos <= 255 && n < max; pos++)
		for (size_t i = 0; i < hist_columns_count && n < max; i++)
			if (hist_columns[i].in[set].pos == pos)
				out[n++] = &hist_columns[i];
	return n;
}

_Static_assert(sizeof(hist_columns) / sizeof(hist_columns[0]) <= HIST_MAX_COLUMNS,
	       "HIST_MAX_COLUMNS too small");
