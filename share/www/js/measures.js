// Every measurement key the daemon sends (src/device/meas.h), with what the
// pages need to show it: an i18n label, the unit, the digits and the group
// (the manual's tables: input, bypass, output, battery, inverter, rectifier,
// sts, ambient). Per-phase keys share one label; measureLabel() adds the phase.
import { t } from './i18n.js';

const UNIT = { V: 'V', A: 'A', HZ: 'Hz', PCT: '%', KVA: 'kVA', KW: 'kW', AH: 'Ah', MIN: 'min', S: 's', C: '°C', DEG: '°', NONE: '' };
const DIGITS = { V: 0, A: 1, HZ: 1, PCT: 0, KVA: 1, KW: 1, AH: 0, MIN: 0, S: 0, C: 1, DEG: 0, NONE: 2 };

function m(label, unit, group, digits = DIGITS[unit]) {
	return { label, unit: UNIT[unit], digits, group };
}

// The phase-to-neutral (l1..l3) and phase-to-phase (u12..u31) voltages of one point.
function voltages(prefix, label, group) {
	const out = {};
	for (const p of ['l1', 'l2', 'l3', 'u12', 'u23', 'u31'])
		out[`${prefix}.voltage.${p}`] = m(label, 'V', group);
	return out;
}

function phases(prefix, label, unit, group, list = ['l1', 'l2', 'l3'], digits) {
	const out = {};
	for (const p of list)
		out[`${prefix}.${p}`] = m(label, unit, group, digits);
	return out;
}

export const MEASURES = {
	...voltages('input', 'meas.input_voltage', 'input'),
	'input.frequency': m('meas.input_frequency', 'HZ', 'input'),
	...phases('input.current', 'meas.input_current', 'A', 'input'),
	...phases('input.power', 'meas.input_power', 'KW', 'input'),

	...voltages('bypass', 'meas.bypass_voltage', 'bypass'),
	'bypass.frequency': m('meas.bypass_frequency', 'HZ', 'bypass'),
	...phases('bypass.current', 'meas.bypass_current', 'A', 'bypass'),
	...phases('bypass.power', 'meas.bypass_power', 'KW', 'bypass'),

	...voltages('output', 'meas.output_voltage', 'output'),
	'output.frequency': m('meas.output_frequency', 'HZ', 'output'),
	...phases('output.current', 'meas.output_current', 'A', 'output', ['l1', 'l2', 'l3', 'n']),
	'output.load': m('meas.output_load', 'PCT', 'output'),
	...phases('output.load', 'meas.output_load', 'PCT', 'output', ['l1', 'l2', 'l3', 'n']),
	'output.apparent_power': m('meas.output_apparent_power', 'KVA', 'output'),
	...phases('output.apparent_power', 'meas.output_apparent_power', 'KVA', 'output'),
	'output.active_power': m('meas.output_active_power', 'KW', 'output'),
	...phases('output.active_power', 'meas.output_active_power', 'KW', 'output'),
	...phases('output.power_factor', 'meas.output_power_factor', 'NONE', 'output'),
	'output.crest_factor': m('meas.output_crest_factor', 'NONE', 'output', 1),
	...phases('output.crest_factor', 'meas.output_crest_factor', 'NONE', 'output', ['l1', 'l2', 'l3', 'n'], 1),

	'battery.voltage.positive': m('meas.battery_voltage', 'V', 'battery'),
	'battery.voltage.negative': m('meas.battery_voltage', 'V', 'battery'),
	'battery.current.positive': m('meas.battery_current', 'A', 'battery'),
	'battery.current.negative': m('meas.battery_current', 'A', 'battery'),
	'battery.charge': m('meas.battery_charge', 'PCT', 'battery'),
	'battery.capacity': m('meas.battery_capacity', 'AH', 'battery'),
	'battery.runtime': m('meas.battery_runtime', 'MIN', 'battery'),
	'battery.time_on_battery': m('meas.battery_time_on_battery', 'S', 'battery'),
	'battery.temperature': m('meas.battery_temperature', 'C', 'battery'),
	'battery.temperature.average': m('meas.battery_temperature_average', 'C', 'battery'),
	'dc_storage.voltage': m('meas.dc_storage_voltage', 'V', 'battery'),
	'dc_storage.temperature': m('meas.dc_storage_temperature', 'C', 'battery'),

	'ambient.temperature': m('meas.ambient_temperature', 'C', 'ambient'),

	...voltages('sts.source1', 'meas.sts_source1_voltage', 'sts'),
	'sts.source1.frequency': m('meas.sts_source1_frequency', 'HZ', 'sts'),
	'sts.ss1.temperature': m('meas.sts_ss1_temperature', 'C', 'sts'),
	...voltages('sts.source2', 'meas.sts_source2_voltage', 'sts'),
	'sts.source2.frequency': m('meas.sts_source2_frequency', 'HZ', 'sts'),
	'sts.ss2.temperature': m('meas.sts_ss2_temperature', 'C', 'sts'),
	'sts.phase_shift': m('meas.sts_phase_shift', 'DEG', 'sts'),
};

// The last segment of a key names its phase or branch, when it has one.
const PHASE_SUFFIX = {
	l1: 'L1', l2: 'L2', l3: 'L3', n: 'N', u12: 'U12', u23: 'U23', u31: 'U31',
};
const BRANCH_KEY = { positive: 'meas.branch_positive', negative: 'meas.branch_negative' };

// The suffix measureLabel() appends ("L1", "U12", "+"), or "" for a global value.
export function measurePhase(key) {
	const last = key.slice(key.lastIndexOf('.') + 1);
	if (PHASE_SUFFIX[last])
		return PHASE_SUFFIX[last];
	return BRANCH_KEY[last] ? t(BRANCH_KEY[last]) : '';
}

export function measureLabel(key) {
	const def = MEASURES[key];
	if (!def)
		return key;
	const phase = measurePhase(key);
	return phase ? `${t(def.label)} ${phase}` : t(def.label);
}
