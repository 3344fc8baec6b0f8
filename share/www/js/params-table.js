// The manual's parameters tables (§12.1.5-12.1.10, §12.2.3-4, §13.2-13.4):
// one table per section of one level of the live model. Per-phase values sit
// side by side, each tagged with its phase; a value the UPS does not give is
// "—", and the rows the manual calls "present if computed by the UPS" are
// left out while the UPS gives nothing for them.
import { h, s, clear } from './dom.js';
import { t, tx, fmtNum, fmtDate, fmtMeasure } from './i18n.js';
import { measurePhase } from './measures.js';

const DASH = '—';
const PHASES = ['l1', 'l2', 'l3'];
const LINES = ['u12', 'u23', 'u31'];
const MULTI_LEVEL = new Set(['parallel', 'modular-system']);
// Output sources where the inverter feeds the load, so its voltage is the output's.
const INVERTER_FEEDS = new Set(['On inverter', 'On battery']);

/* Row builders. A row: {label, cells: [{key?, phase?, read(status, level)}], optional?, when?} */

function measCell(key) {
	return { key, phase: measurePhase(key), read: (st, lv) => lv.measurements?.[key] };
}

function meas(label, keys, opts = {}) {
	return { label, cells: keys.map(measCell), ...opts };
}

function perPhase(label, prefix, list = PHASES, opts = {}) {
	return meas(label, list.map(p => `${prefix}.${p}`), opts);
}

// A state word from the daemon, in the user's language.
function stateRow(label, read) {
	return { label, text: true, cells: [{ read: (st, lv) => tx(read(st, lv)) || null }] };
}

function textRow(label, read, opts = {}) {
	return { label, text: true, cells: [{ read }], ...opts };
}

const onBattery = (st, lv) => (lv.flags || []).includes('on_battery');
const batteryPresent = st => st.identity?.battery_present !== false;

// §12.1.10: "Set to 0 if inverter is off"; the model has no inverter
// measurement of its own, so its output is the UPS output while it feeds the load.
function inverterCell(outKey) {
	return {
		key: outKey, phase: measurePhase(outKey),
		read(st, lv) {
			if (lv.state?.inverter === 'Off')
				return 0;
			return INVERTER_FEEDS.has(lv.state?.output_source) ? lv.measurements?.[outKey] : null;
		},
	};
}

function identityRows() {
	const id = st => st.identity || {};
	return [
		{ group: 'params.identification', cells: [] },
		textRow('params.id.range', st => id(st).range),
		textRow('params.id.reference', st => id(st).reference),
		textRow('params.id.serial', st => id(st).serial),
		textRow('params.id.nominal_kva', st => (id(st).nominal_kva == null ? null : `${fmtNum(id(st).nominal_kva)} kVA`), { optional: true }),
		textRow('params.id.nominal_kw', st => (id(st).nominal_kw == null ? null : `${fmtNum(id(st).nominal_kw)} kW`), { optional: true }),
		textRow('params.id.phases', st => (id(st).phases_in ? `${id(st).phases_in} / ${id(st).phases_out}` : null), { optional: true }),
		textRow('params.id.firmware', st => id(st).firmware),
	];
}

const dateRow = () => textRow('params.date_time', st => (st.time ? fmtDate(st.time, { seconds: true }) : null));

// §12.1.5, and §12.2.3 for a system (the same table from system-level data).
function upsRows() {
	return [
		stateRow('params.ups_status', (st, lv) => lv.state?.ups_status),
		perPhase('meas.output_load', 'output.load'),
		meas('meas.output_apparent_power', ['output.apparent_power'], { optional: true }),
		meas('meas.output_active_power', ['output.active_power'], { optional: true }),
		perPhase('meas.output_voltage', 'output.voltage'),
		perPhase('meas.input_voltage', 'input.voltage'),
		meas('meas.battery_charge', ['battery.charge'], { when: batteryPresent }),
		meas('meas.battery_runtime', ['battery.runtime'], { when: batteryPresent }),
		meas('meas.battery_voltage', ['battery.voltage.positive', 'battery.voltage.negative'], { when: batteryPresent }),
		meas('params.temperature', ['ambient.temperature'], { optional: true }),
		dateRow(),
	];
}

// §12.1.6
function batteryRows() {
	return [
		stateRow('params.battery_status', (st, lv) => lv.state?.battery_status),
		meas('meas.battery_voltage', ['battery.voltage.positive', 'battery.voltage.negative']),
		meas('meas.battery_current', ['battery.current.positive', 'battery.current.negative'], { optional: true }),
		meas('meas.battery_charge', ['battery.charge']),
		meas('meas.battery_capacity', ['battery.capacity'], { optional: true }),
		meas('meas.battery_runtime', ['battery.runtime']),
		meas('meas.battery_temperature', ['battery.temperature'], { optional: true }),
		meas('meas.battery_temperature_average', ['battery.temperature.average'], { optional: true }),
		meas('meas.battery_time_on_battery', ['battery.time_on_battery'], { when: onBattery }),
		meas('meas.dc_storage_voltage', ['dc_storage.voltage'], { optional: true }),
		meas('meas.dc_storage_temperature', ['dc_storage.temperature'], { optional: true }),
	];
}

// §12.1.7 and §12.2.4; §13.3 for an STS (per-phase powers, no global ones).
function outputRows(sts) {
	return [
		stateRow(sts ? 'params.sts_status' : 'params.output_status',
			(st, lv) => (sts ? lv.state?.ups_status : lv.state?.output_source)),
		perPhase('meas.output_load', 'output.load'),
		meas('params.output_load_global', ['output.load'], { optional: true, when: () => !sts }),
		meas('params.output_load_neutral', ['output.load.n'], { optional: true }),
		meas('meas.output_apparent_power', ['output.apparent_power'], { optional: true }),
		perPhase('meas.output_apparent_power', 'output.apparent_power', PHASES, { optional: true }),
		meas('meas.output_active_power', ['output.active_power'], { optional: true }),
		perPhase('meas.output_active_power', 'output.active_power', PHASES, { optional: true }),
		perPhase('meas.output_power_factor', 'output.power_factor', PHASES, { optional: true }),
		meas('meas.output_crest_factor', ['output.crest_factor'], { optional: true }),
		perPhase('meas.output_crest_factor', 'output.crest_factor', [...PHASES, 'n'], { optional: true }),
		perPhase('meas.output_current', 'output.current', [...PHASES, 'n']),
		perPhase('meas.output_voltage', 'output.voltage'),
		perPhase('params.output_voltage_u', 'output.voltage', LINES, { optional: true }),
		meas('meas.output_frequency', ['output.frequency']),
	];
}

// §12.1.8
function rectifierRows() {
	return [
		stateRow('params.rectifier_status', (st, lv) => lv.state?.rectifier),
		perPhase('meas.input_voltage', 'input.voltage'),
		perPhase('params.input_voltage_u', 'input.voltage', LINES, { optional: true }),
		perPhase('meas.input_current', 'input.current', PHASES, { optional: true }),
		perPhase('meas.input_power', 'input.power', PHASES, { optional: true }),
		meas('meas.input_frequency', ['input.frequency']),
	];
}

// §12.1.9
function bypassRows() {
	return [
		stateRow('params.bypass_status', (st, lv) => lv.state?.bypass),
		perPhase('meas.bypass_voltage', 'bypass.voltage'),
		perPhase('params.bypass_voltage_u', 'bypass.voltage', LINES, { optional: true }),
		perPhase('meas.bypass_current', 'bypass.current', PHASES, { optional: true }),
		perPhase('meas.bypass_power', 'bypass.power', PHASES, { optional: true }),
		meas('meas.bypass_frequency', ['bypass.frequency']),
	];
}

// §12.1.10
function inverterRows() {
	return [
		stateRow('params.inverter_status', (st, lv) => lv.state?.inverter),
		{ label: 'params.inverter_voltage', cells: PHASES.map(p => inverterCell(`output.voltage.${p}`)) },
		{ label: 'params.inverter_voltage_u', cells: LINES.map(p => inverterCell(`output.voltage.${p}`)), optional: true },
		{ label: 'params.inverter_frequency', cells: [inverterCell('output.frequency')] },
	];
}

// §13.2
function stsRows() {
	return [
		stateRow('params.sts_status', (st, lv) => lv.state?.ups_status),
		stateRow('params.sts_output_source', (st, lv) => lv.state?.output_source),
		textRow('params.sts_preferred', (st, lv) => (lv.sts?.preferred ? t('params.source_n', { n: lv.sts.preferred }) : null)),
		perPhase('meas.output_load', 'output.load'),
		perPhase('meas.output_current', 'output.current'),
		meas('meas.output_active_power', ['output.active_power'], { optional: true }),
		perPhase('meas.output_voltage', 'output.voltage'),
		meas('meas.output_frequency', ['output.frequency']),
		meas('meas.sts_phase_shift', ['sts.phase_shift'], { optional: true }),
		meas('params.sts_temperature', ['ambient.temperature'], { optional: true }),
		dateRow(),
	];
}

// §13.4
function pathRows(n) {
	return [
		stateRow('params.source_state', (st, lv) => lv.sts?.[`source${n}`]),
		perPhase('params.path_voltage', `sts.source${n}.voltage`),
		perPhase('params.path_voltage_u', `sts.source${n}.voltage`, LINES, { optional: true }),
		meas('params.path_frequency', [`sts.source${n}.frequency`]),
		meas('params.path_temperature', [`sts.ss${n}.temperature`], { optional: true }),
	];
}

const SECTION_ROWS = {
	ups: upsRows, module: upsRows, battery: batteryRows, output: () => outputRows(false),
	rectifier: rectifierRows, bypass: bypassRows, inverter: inverterRows,
	sts: stsRows, path1: () => pathRows(1), path2: () => pathRows(2),
};
const STS_OUTPUT = () => outputRows(true);

function anyValue(level, prefixes) {
	return Object.entries(level.measurements || {})
		.some(([key, v]) => v !== null && prefixes.some(p => key.startsWith(p)));
}

/* The sections of a level, in the manual's order. */
export function sectionsFor(status, levelIndex) {
	const level = status?.levels?.[levelIndex];
	if (!level)
		return [];
	const kind = status.topology?.kind;
	if (kind === 'sts')
		return ['sts', 'output', 'path1', 'path2'];
	if (level.kind === 'system' && MULTI_LEVEL.has(kind))
		return ['ups', 'output'];
	// Without communication nothing tells which parts the UPS has: offer them all.
	const unknown = status.comm !== 'ok';
	const has = {
		battery: unknown || batteryPresent(status) || anyValue(level, ['battery.']),
		output: true,
		rectifier: unknown || anyValue(level, ['input.']),
		bypass: unknown || anyValue(level, ['bypass.']) || (level.state?.bypass && level.state.bypass !== 'Unknown'),
		inverter: unknown || (level.state?.inverter && level.state.inverter !== 'Unknown'),
	};
	const first = level.kind === 'module' ? 'module' : 'ups';
	return [first, ...Object.keys(has).filter(sec => has[sec])];
}

/* "System", "Unit 2", "Module 1.3" ("Module 3" in a modular UPS): a level
   of the status, or the level of an alarm (kind = alarm.level). */
export function levelWords(kind, unit, module) {
	if (kind === 'unit')
		return t('params.level_unit', { n: unit });
	if (kind === 'module' && !unit)
		return t('params.level_module_only', { module });
	if (kind === 'module')
		return t('params.level_module', { unit, module });
	return t('params.level_system');
}

/* levelWords() of a level of the status; "" for a lone UPS. */
export function levelName(status, levelIndex) {
	const level = status?.levels?.[levelIndex];
	if (!level || (level.kind !== 'unit' && level.kind !== 'module' && !MULTI_LEVEL.has(status.topology?.kind)))
		return '';
	return levelWords(level.kind, level.unit, level.module);
}

export function sectionTitle(section, status) {
	if (section === 'output' && status?.topology?.kind === 'sts')
		return t('params.sec.sts_output');
	return t(`params.sec.${section}`);
}

function rowsFor(section, status, levelIndex) {
	const build = section === 'output' && status.topology?.kind === 'sts' ? STS_OUTPUT : SECTION_ROWS[section];
	if (!build)
		return [];
	const rows = build();
	const withIdentity = levelIndex === 0 && (section === 'ups' || section === 'sts');
	return withIdentity ? [...rows, ...identityRows()] : rows;
}

function formatCell(cell, value) {
	if (value === null || value === undefined || value === '')
		return DASH;
	if (typeof value === 'string')
		return value;
	if (cell.key === 'battery.time_on_battery')
		return t('params.duration', { min: Math.floor(value / 60), s: Math.round(value % 60) });
	return cell.key ? fmtMeasure(cell.key, value) : fmtNum(value);
}

/* One <tr>: the label, then one cell per value, the last spanning the free columns. */
function buildRow(row, width) {
	if (row.group)
		return { tr: h('tr', { class: 'pt-group' }, h('th', { scope: 'colgroup', colspan: width + 1 }, t(row.group))), values: [] };
	const values = row.cells.map(cell => h('span', { class: 'pt-value' }, DASH));
	const tds = row.cells.map((cell, i) => h('td', {
		class: row.text ? 'pt-cell pt-text' : 'pt-cell',
		colspan: i === row.cells.length - 1 && row.cells.length < width ? width - i : null,
	}, cell.phase ? h('span', { class: 'pt-phase' }, cell.phase) : null, values[i]));
	const tr = h('tr', null, h('th', { scope: 'row' }, t(row.label)), tds);
	return { tr, values };
}

function isShown(row, status, level) {
	if (row.group)
		return true;
	if (row.when && !row.when(status, level))
		return false;
	if (!row.optional)
		return true;
	return row.cells.some(cell => {
		const v = cell.read(status, level);
		return v !== null && v !== undefined && v !== '';
	});
}

/* The table of one section of one level: {el, update(status)}. */
export function paramsTable(levelIndex, section) {
	const el = h('div', { class: 'ptable', dataset: { section } });
	const note = noticeBox('warning', t('params.no_comm'));
	note.hidden = true;
	let built = null;

	function build(status) {
		const rows = rowsFor(section, status, levelIndex);
		const width = Math.max(1, ...rows.map(r => r.cells.length));
		const name = levelName(status, levelIndex);
		const caption = name ? `${sectionTitle(section, status)} — ${name}` : sectionTitle(section, status);
		const body = h('tbody');
		const entries = rows.map(row => ({ row, ...buildRow(row, width) }));
		for (const entry of entries)
			body.appendChild(entry.tr);
		const tbl = h('table', { class: 'data pt-table' }, h('caption', caption), body);
		clear(el);
		el.append(note, h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption }, tbl));
		return entries;
	}

	function update(status) {
		if (!status)
			return;
		const level = status.levels?.[levelIndex];
		if (!built && !level) {
			// Nothing read yet (daemon starting, or no communication since it started).
			el.replaceChildren(note);
			note.hidden = false;
			return;
		}
		if (!built)
			built = build(status);
		const commOk = status.comm === 'ok' && level?.valid !== false;
		el.querySelector('.table-wrap')?.classList.toggle('no-comm', !commOk);
		note.hidden = commOk;
		for (const b of built) {
			// Keep the layout while values are stale; recompute it from fresh data only.
			if (commOk)
				b.tr.hidden = !isShown(b.row, status, level || {});
			b.row.cells.forEach((cell, i) => {
				b.values[i].textContent = level ? formatCell(cell, cell.read(status, level)) : DASH;
			});
		}
	}

	return { el, update };
}

const SEVERITY_ICON = {
	critical: () => [s('circle', { cx: 8, cy: 8, r: 7 }), s('path', { d: 'M8 4v5M8 11.2v.6', class: 'sev-mark' })],
	warning: () => [s('path', { d: 'M8 1.5 15 14H1z' }), s('path', { d: 'M8 6v4M8 11.8v.4', class: 'sev-mark' })],
	information: () => [s('circle', { cx: 8, cy: 8, r: 7 }), s('path', { d: 'M8 7v5M8 4.2v.6', class: 'sev-mark' })],
	none: () => [s('circle', { cx: 8, cy: 8, r: 4 })],
};

/* A severity as an icon and a word (colour is never the only carrier). */
export function severityBadge(severity) {
	const sev = SEVERITY_ICON[severity] ? severity : 'none';
	return h('span', { class: `sev sev-${sev}` },
		s('svg', { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', focusable: 'false' }, SEVERITY_ICON[sev]()),
		h('span', { class: 'sev-word' }, t(`alarms.sev.${sev}`)));
}

/* A shell notice (icon and text) for the monitoring pages' "no communication" lines. */
export function noticeBox(kind, text) {
	return h('div', { class: `notice notice-${kind}`, role: 'status' },
		h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, kind === 'warning' ? '!' : 'i'),
		h('div', { class: 'notice-body' }, h('p', null, text)));
}
