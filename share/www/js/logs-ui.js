// The pieces the history and log pages share (#/history/*, #/logs/*): the
// date window, the pager, the error line, the CSV link, the query <-> hash
// helpers, and the columns of the history logs (spec/history_columns.tsv).
import { h, clear, uid } from './dom.js';
import { t, fmtNum, temperatureUnit } from './i18n.js';
import { apiUrl, ApiError } from './api.js';
import { measurePhase } from './measures.js';

export const PAGE_SIZES = [10, 25, 50, 100, 200, 500];

// "2026-11-22T10:05" for a datetime-local input, in the browser's time zone.
function toLocalInput(seconds) {
	if (!seconds)
		return '';
	const d = new Date(seconds * 1000);
	const pad = n => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value) {
	const ms = value ? new Date(value).getTime() : NaN;
	return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

// Query values from the hash: a positive integer or the fallback.
export function intParam(value, fallback, max = Infinity) {
	const n = Number(value);
	return Number.isInteger(n) && n > 0 && n <= max ? n : fallback;
}

// Keep the page's state in the hash without re-mounting the page.
export function replaceQuery(path, query) {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value !== null && value !== undefined && value !== '')
			params.set(key, value);
	}
	const qs = params.toString();
	history.replaceState(history.state, '', `#/${path}${qs ? `?${qs}` : ''}`);
}

// From/to inputs with Apply and Reset. onApply({from, to}) gets unix seconds or null.
export function dateWindow({ from, to, onApply }) {
	const fromInput = h('input', { type: 'datetime-local', id: uid('from'), value: toLocalInput(from) });
	const toInput = h('input', { type: 'datetime-local', id: uid('to'), value: toLocalInput(to) });
	const apply = () => {
		const from = fromLocalInput(fromInput.value), to = fromLocalInput(toInput.value);
		toInput.setCustomValidity(from && to && from >= to ? t('hist.bad_window') : '');
		if (toInput.reportValidity())
			onApply({ from, to });
	};
	toInput.addEventListener('input', () => toInput.setCustomValidity(''));
	const reset = () => {
		fromInput.value = '';
		toInput.value = '';
		apply();
	};
	return h('div', { class: 'hist-window' },
		h('div', { class: 'field' }, h('label', { class: 'field-label', for: fromInput.id }, t('common.from')), fromInput),
		h('div', { class: 'field' }, h('label', { class: 'field-label', for: toInput.id }, t('common.to')), toInput),
		h('div', { class: 'hist-buttons' },
			h('button', { type: 'button', class: 'btn btn-primary', on: { click: apply } }, t('common.apply')),
			h('button', { type: 'button', class: 'btn', on: { click: reset } }, t('common.reset'))));
}

// A labelled <select>; options: [[value, label]...].
export function selectField(label, options, value, onChange) {
	const select = h('select', { id: uid('sel'), on: { change: () => onChange(select.value) } },
		options.map(([v, text]) => h('option', { value: String(v), selected: String(v) === String(value) }, text)));
	return h('div', { class: 'field' }, h('label', { class: 'field-label', for: select.id }, label), select);
}

// The error line of a page: show(err) fills it, show(null) empties it.
export function errorLine() {
	const el = h('div', { class: 'notice notice-critical hist-error', role: 'alert' });
	el.hidden = true;
	return {
		el,
		show(err) {
			el.textContent = err ? (err.message || String(err)) : '';
			el.hidden = !err;
		},
	};
}

// Previous/next paging with "Page x of y", the record count and the page size.
export function pager({ onPage, onSize, label }) {
	const info = h('span', { class: 'hist-page-info', 'aria-live': 'polite' });
	const count = h('span', { class: 'hist-count' });
	const button = (text, aria, fn) => h('button', { type: 'button', class: 'btn btn-small', 'aria-label': aria, on: { click: fn } }, text);
	let state = { page: 1, pages: 1 };
	const first = button('«', t('logs.first_page'), () => onPage(1));
	const prev = button('‹', t('common.previous'), () => onPage(state.page - 1));
	const next = button('›', t('common.next'), () => onPage(state.page + 1));
	const last = button('»', t('logs.last_page'), () => onPage(state.pages));
	const sizeHost = h('span', { class: 'hist-page-size' });
	const el = h('nav', { class: 'pager hist-pager', 'aria-label': label || t('logs.pages') },
		count, h('span', { class: 'hist-page-buttons' }, first, prev, info, next, last), sizeHost);
	return {
		el,
		update({ page, size, total }) {
			const pages = Math.max(1, Math.ceil(total / size));
			state = { page, pages };
			info.textContent = t('common.page_of', { page, pages });
			count.textContent = t('logs.records', { n: fmtNum(total) });
			first.disabled = prev.disabled = page <= 1;
			next.disabled = last.disabled = page >= pages;
			clear(sizeHost).append(selectField(t('logs.page_size'), PAGE_SIZES.map(n => [n, String(n)]), size, v => onSize(Number(v))));
		},
	};
}

// The CSV link of a log over a window (the daemon exports the whole window).
// A click fetches the file first, so that a refusal (413 export_too_large:
// narrow the window) is shown by onError instead of a failed download.
export function csvLink(name, query, onError) {
	const link = h('a', {
		class: 'btn', href: apiUrl(`/logs/${name}.csv`, query), download: '', dataset: { action: 'csv' },
	}, h('span', { class: 'hist-icon', 'aria-hidden': 'true' }, '⤓'), t('common.download_csv'));
	if (onError)
		link.addEventListener('click', event => downloadCsv(event, link, onError));
	return link;
}

async function downloadCsv(event, link, onError) {
	if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)
		return;
	event.preventDefault();
	link.setAttribute('aria-disabled', 'true');
	try {
		const res = await fetch(link.href, { credentials: 'same-origin' });
		if (!res.ok) {
			const body = await res.json().catch(() => null);
			const err = (body && body.error) || {};
			throw new ApiError(res.status, err.code || `http_${res.status}`, err.message || res.statusText, body);
		}
		const disposition = res.headers.get('Content-Disposition') || '';
		const file = (/filename="?([^";]+)"?/.exec(disposition) || [])[1] || 'upsgate.csv';
		const url = URL.createObjectURL(await res.blob());
		const save = h('a', { href: url, download: file });
		save.hidden = true;
		document.body.append(save);
		save.click();
		save.remove();
		setTimeout(() => URL.revokeObjectURL(url), 10000);
		onError(null);
	} catch (err) {
		onError(err);
	} finally {
		link.removeAttribute('aria-disabled');
	}
}

export function updateCsvLink(link, name, query) {
	link.href = apiUrl(`/logs/${name}.csv`, query);
}

// "System", "Unit 2", "Unit 2, module 3".
export function unitName(unit, module) {
	if (!unit)
		return t('logs.unit_system');
	return module ? t('logs.unit_module', { unit, module }) : t('logs.unit_n', { n: unit });
}

export function isSts(status) {
	return Boolean(status && status.topology && status.topology.kind === 'sts');
}

// ---- the history logs' columns ----

const PHASES = ['l1', 'l2', 'l3'];

// Each measurement of the logs: its label and unit, and the digits of a sample.
const COLUMN_INFO = {
	'input.voltage': { label: 'hist.col.input_voltage', unit: 'V', digits: 0 },
	'input.frequency': { label: 'hist.col.input_frequency', unit: 'Hz', digits: 1 },
	'output.voltage': { label: 'hist.col.output_voltage', unit: 'V', digits: 0 },
	'output.current': { label: 'hist.col.output_current', unit: 'A', digits: 1 },
	'output.load': { label: 'hist.col.output_load', unit: '%', digits: 0 },
	'output.frequency': { label: 'hist.col.output_frequency', unit: 'Hz', digits: 1 },
	'battery.charge': { label: 'hist.col.battery_capacity', unit: '%', digits: 0 },
	'ambient.temperature': { label: 'hist.col.ups_temperature', unit: '°C', digits: 1 },
	'sts.source1.voltage': { label: 'hist.col.source1_voltage', unit: 'V', digits: 0 },
	'sts.source2.voltage': { label: 'hist.col.source2_voltage', unit: 'V', digits: 0 },
	'sts.ss1.temperature': { label: 'hist.col.sw1_temperature', unit: '°C', digits: 1 },
	'sts.ss2.temperature': { label: 'hist.col.sw2_temperature', unit: '°C', digits: 1 },
	'emd.temperature': { label: 'hist.col.emd_temperature', unit: '°C', digits: 1 },
	'emd.humidity': { label: 'hist.col.emd_humidity', unit: '%', digits: 0 },
};

// The column groups of each log, in the manual's order; `phases` splits a group per phase.
const UPS_HISTORY = [['input.voltage', true], ['output.voltage', true], ['input.frequency'], ['output.load', true],
	['battery.charge'], ['ambient.temperature']];
const UPS_EXTENDED = [['input.voltage', true], ['input.frequency'], ['output.voltage', true], ['output.current', true],
	['output.load', true], ['battery.charge'], ['ambient.temperature']];
const STS_HISTORY = [['sts.source1.voltage', true], ['sts.source2.voltage', true], ['output.current', true],
	['output.frequency'], ['sts.ss1.temperature'], ['sts.ss2.temperature']];
const EMD = [['emd.temperature'], ['emd.humidity']];

function baseOf(key) {
	const last = key.slice(key.lastIndexOf('.') + 1);
	return PHASES.includes(last) ? key.slice(0, key.lastIndexOf('.')) : key;
}

function info(key) {
	return COLUMN_INFO[baseOf(key)] || { label: key, unit: '', digits: 1 };
}

export function columnUnit(key) {
	const unit = info(key).unit;
	return unit === '°C' && temperatureUnit() === 'F' ? '°F' : unit;
}

export function columnDigits(key) {
	return info(key).digits;
}

// "Output voltage L1".
export function columnLabel(key) {
	const phase = baseOf(key) !== key ? measurePhase(key) : '';
	return phase ? `${t(info(key).label)} ${phase}` : t(info(key).label);
}

// Temperatures are logged in °C and shown in the unit the gateway is set to.
export function toDisplay(key, value) {
	if (value === null || value === undefined)
		return null;
	return info(key).unit === '°C' && temperatureUnit() === 'F' ? value * 9 / 5 + 32 : value;
}

// [{base, keys}] of a log for this device.
export function columnGroups(status, log, withEmd = false) {
	const list = isSts(status) ? STS_HISTORY : log === 'extended' ? UPS_EXTENDED : UPS_HISTORY;
	return [...list, ...(withEmd ? EMD : [])].map(([base, phased]) => ({ base, keys: phased ? PHASES.map(p => `${base}.${p}`) : [base] }));
}

export function logName(query, status) {
	return query.log === 'extended' && !isSts(status) ? 'extended' : 'history';
}

// Units of a parallel system: [[value, label]...], or null for one UPS.
export function unitOptions(status, withAll = false) {
	const units = (status && status.topology && status.topology.units) || 0;
	if (units < 2)
		return null;
	const list = [[0, unitName(0)]];
	for (let n = 1; n <= units; n++)
		list.push([n, unitName(n)]);
	return withAll ? [...list, ['all', t('hist.all_units')]] : list;
}

// History / extended history, graph / table: the views of the history logs.
export function viewTabs(view, log, status) {
	const tab = (v, l, label) => h('a', {
		href: `#/history/${v}?log=${l}`, 'aria-current': v === view && l === log ? 'page' : null,
	}, label);
	const extended = !isSts(status);
	return h('nav', { class: 'tabs hist-tabs', 'aria-label': t('hist.views') },
		tab('graph', 'history', t('hist.tab_graph')), tab('table', 'history', t('hist.tab_table')),
		extended ? tab('graph', 'extended', t('hist.tab_extended_graph')) : null,
		extended ? tab('table', 'extended', t('hist.tab_extended_table')) : null);
}

export function historyTitle(view, query, status) {
	const log = logName(query, status);
	if (log === 'extended')
		return t(view === 'graph' ? 'hist.title_extended_graph' : 'hist.title_extended_table');
	const device = isSts(status) ? 'sts' : 'ups';
	return t(`hist.title_${device}_${view}`);
}
