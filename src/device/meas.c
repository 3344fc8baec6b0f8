/* Measurement ids: keys and units from MEAS_LIST (meas.h). */
#include "device/meas.h"

#include <errno.h>
#include <string.h>

const struct meas_def meas_defs[_MEAS_COUNT] = {
#define MEAS_DEF(id, key, unit) [MEAS_##id] = { key, unit },
	MEAS_LIST(MEAS_DEF)
#undef MEAS_DEF
};

static const char *const meas_unit_symbols[] = {
	[UNIT_NONE] = "",
	[UNIT_V] = "V",
	[UNIT_A] = "A",
	[UNIT_HZ] = "Hz",
	[UNIT_PERCENT] = "%",
	[UNIT_KVA] = "kVA",
	[UNIT_KW] = "kW",
	[UNIT_AH] = "Ah",
	[UNIT_MINUTES] = "min",
	[UNIT_SECONDS] = "s",
	[UNIT_CELSIUS] = "degC",
	[UNIT_DEGREES] = "deg",
};
_Static_assert(sizeof(meas_unit_symbols) / sizeof(meas_unit_symbols[0]) == _UNIT_COUNT,
	       "one symbol per unit");

const char *meas_unit_symbol(enum meas_unit u)
{
	if ((unsigned)u >= _UNIT_COUNT)
		return "";
	return meas_unit_symbols[u];
}

int meas_from_key(const char *key)
{
	if (!key)
		return -ENOENT;
	for (int i = 0; i < _MEAS_COUNT; i++)
		if (strcmp(meas_defs[i].key, key) == 0)
			return i;
	return -ENOENT;
}
