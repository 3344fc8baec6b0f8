// #/history/graph?log=history|extended: the history logs as graphs
// (§18.1-18.2). The manual's measurement groups (input, output, UPS
// information; the STS has its own) are charts that can be hidden; the time
// window is a preset (last 30 min... 1 day), a custom from-to, or a range
// dragged on a chart. The history log comes from GET /series (min/avg/max
// per pixel column, so peaks survive); the extended log from its own rows
// (min/avg/max per interval). Both draw the min-max band around the average.
import { h, clear, uid } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { api } from '../api.js';
import { live } from '../live.js';
import { Chart } from '../chart.js';
import {
	replaceQuery, dateWindow, selectField, errorLine, csvLink, updateCsvLink, isSts, intParam,
	columnLabel, columnUnit, columnDigits, toDisplay, logName, unitOptions, viewTabs, historyTitle,
} from '../logs-ui.js';

const MINUTE = 60, HOUR = 3600;
const RANGES = [['30m', 30 * MINUTE], ['1h', HOUR], ['3h', 3 * HOUR], ['6h', 6 * HOUR], ['12h', 12 * HOUR], ['1d', 24 * HOUR]];
const MAX_POINTS = 2000;
const EXTENDED_PAGE = 1000;
const EXTENDED_MAX_PAGES = 20;   // 20000 rows: over two years of hourly rows
const CHART_HEIGHT = 280;
const GAP_FACTOR = 2.5;          // a line breaks after this many missing intervals

const phases = base => ['l1', 'l2', 'l3'].map(p => `${base}.${p}`);

// The manual's groups (history_columns.tsv graph_group); each chart has at most two units.
function chartGroups(status, log) {
	if (isSts(status)) {
		return [
			{ id: 'sources', label: 'hist.group_sources', charts: [[...phases('sts.source1.voltage'), ...phases('sts.source2.voltage')]] },
			{ id: 'output', label: 'hist.group_output', charts: [[...phases('output.current'), 'output.frequency']] },
			{ id: 'temperature', label: 'hist.group_temperature', charts: [['sts.ss1.temperature', 'sts.ss2.temperature']] },
		];
	}
	const output = [[...phases('output.voltage'), ...phases('output.load')]];
	if (log === 'extended')
		output.push(phases('output.current'));
	return [
		{ id: 'input', label: 'hist.group_input', charts: [[...phases('input.voltage'), 'input.frequency']] },
		{ id: 'output', label: 'hist.group_output', charts: output },
		{ id: 'ups', label: 'hist.group_ups', charts: [['battery.charge', 'ambient.temperature']] },
	];
}

const EMD_GROUP = { id: 'emd', label: 'hist.group_emd', charts: [['emd.temperature', 'emd.humidity']] };

function readState(query, groups, units) {
	const range = query.range === 'custom' || RANGES.some(([id]) => id === query.range) ? query.range : null;
	const wanted = query.groups ? query.groups.split(',') : groups.map(g => g.id);
	return {
		range: range || (query.log === 'extended' ? '1d' : '30m'),
		from: intParam(query.from, null),
		to: intParam(query.to, null),
		unit: units ? intParam(query.unit, 0, units.length - 1) : 0,
		groups: groups.filter(g => wanted.includes(g.id)).map(g => g.id),
	};
}

class HistoryGraphPage {
	constructor(root, ctx) {
		this.root = root;
		this.ctx = ctx;
		this.status = live.status;
		this.log = logName(ctx.query, this.status);
		this.units = unitOptions(this.status);
		this.groups = chartGroups(this.status, this.log);
		this.charts = [];
		this.intervalMs = 0;
	}

	async mount() {
		await this.probe();
		this.state = readState(this.ctx.query, this.groups, this.units);
		this.error = errorLine();
		this.windowText = h('p', { class: 'hist-window-text', 'aria-live': 'polite' });
		this.chartHost = h('div', { class: 'hist-charts' });
		this.csv = csvLink(this.log, {}, err => this.error.show(err));
		this.customHost = h('div', { class: 'hist-custom' });
		this.zoomOut = h('button', { type: 'button', class: 'btn btn-small', on: { click: () => this.onZoom({ reset: true }) } }, t('hist.zoom_out'));
		this.zoomOut.hidden = true;
		this.root.append(viewTabs('graph', this.log, this.status), this.toolbar(), this.error.el,
			h('div', { class: 'hist-window-line' }, this.windowText, this.zoomOut), this.chartHost);
		this.showCustom();
		this.buildCharts();
		await this.load();
		this.root.dataset.ready = 'true';
	}

	// The log's interval (where a line breaks) and whether an EMD is logged.
	async probe() {
		const [settings, latest] = await Promise.allSettled([api.get('/settings'), api.get('/logs/history', { size: 1 })]);
		if (settings.status === 'fulfilled') {
			const key = this.log === 'extended' ? 'history.extended_interval' : 'history.interval';
			this.intervalMs = (Number(settings.value[key]) || 0) * 1000;
		}
		const row = latest.status === 'fulfilled' && latest.value.rows && latest.value.rows[0];
		if (row && !isSts(this.status) && (row['emd.temperature'] != null || row['emd.humidity'] != null))
			this.groups.push(EMD_GROUP);
	}

	toolbar() {
		const s = this.state;
		this.rangeButtons = [...RANGES.map(([id]) => id), 'custom'].map(id => h('button', {
			type: 'button', class: 'btn', 'aria-pressed': String(s.range === id), dataset: { range: id },
			on: { click: () => this.pickRange(id) },
		}, t(`hist.range_${id}`)));
		const rangeLabel = uid('range');
		const range = h('div', { class: 'field' },
			h('span', { class: 'field-label', id: rangeLabel }, t('hist.range')),
			h('div', { class: 'btn-group hist-ranges', role: 'group', 'aria-labelledby': rangeLabel }, this.rangeButtons));
		const unit = this.units ? selectField(t('hist.unit'), this.units, s.unit, v => this.go({ unit: Number(v) })) : null;
		const groups = h('fieldset', { class: 'hist-groups' }, h('legend', { class: 'field-label' }, t('hist.groups')),
			this.groups.map(g => {
				const box = h('input', { type: 'checkbox', id: uid('grp'), checked: s.groups.includes(g.id), on: { change: () => this.toggleGroup(g.id, box.checked) } });
				return h('label', { class: 'hist-check', for: box.id }, box, t(g.label));
			}));
		const refresh = h('button', { type: 'button', class: 'btn', on: { click: () => this.load() } }, t('common.refresh'));
		return h('div', { class: 'toolbar hist-toolbar hist-graph-toolbar' },
			h('div', { class: 'hist-filters' }, range, unit, groups),
			h('div', { class: 'hist-actions' }, refresh, this.csv),
			this.customHost);
	}

	showCustom() {
		clear(this.customHost);
		this.customHost.hidden = this.state.range !== 'custom';
		if (this.state.range === 'custom') {
			const w = this.window();
			this.customHost.append(dateWindow({ from: w.from, to: w.to, onApply: v => this.go({ range: 'custom', ...v }) }));
		}
	}

	pickRange(id) {
		if (id === 'custom') {
			const w = this.window();
			this.state = { ...this.state, range: 'custom', from: w.from, to: w.to };
			this.syncRange();
			return;
		}
		this.go({ range: id, from: null, to: null });
	}

	toggleGroup(id, on) {
		const groups = this.groups.map(g => g.id).filter(g => (g === id ? on : this.state.groups.includes(g)));
		this.go({ groups });
	}

	// The window in unix seconds: a preset ends now.
	window() {
		const s = this.state;
		const now = Math.ceil(Date.now() / 1000);
		if (s.range === 'custom') {
			const to = s.to || now;
			return { from: s.from || to - 24 * HOUR, to };
		}
		const span = RANGES.find(([id]) => id === s.range)[1];
		return { from: now - span, to: now };
	}

	syncRange() {
		for (const b of this.rangeButtons)
			b.setAttribute('aria-pressed', String(b.dataset.range === this.state.range));
		this.showCustom();
		this.saveQuery();
	}

	saveQuery() {
		const s = this.state;
		const allGroups = s.groups.length === this.groups.length;
		replaceQuery('history/graph', {
			log: this.log, range: s.range, from: s.range === 'custom' ? s.from : null, to: s.range === 'custom' ? s.to : null,
			unit: s.unit || null, groups: allGroups ? null : s.groups.join(',') || 'none',
		});
	}

	async go(change) {
		const previous = this.state.range;
		this.state = { ...this.state, ...change };
		if (change.range && change.range !== 'custom')
			this.beforeZoom = null;
		if (change.groups)
			this.buildCharts();
		if (previous !== this.state.range || change.range === 'custom')
			this.syncRange();
		else
			this.saveQuery();
		await this.load();
	}

	// A range dragged on a chart becomes the custom window of every chart; reset goes back.
	onZoom({ from, to, reset }) {
		if (reset) {
			if (this.beforeZoom) {
				const back = this.beforeZoom;
				this.beforeZoom = null;
				this.go(back);
			}
			return;
		}
		if (!this.beforeZoom)
			this.beforeZoom = { range: this.state.range, from: this.state.from, to: this.state.to };
		this.go({ range: 'custom', from: Math.floor(from / 1000), to: Math.ceil(to / 1000) });
	}

	buildCharts() {
		for (const c of this.charts)
			c.chart.destroy();
		this.charts = [];
		clear(this.chartHost);
		for (const g of this.groups.filter(x => this.state.groups.includes(x.id))) {
			const body = h('div', { class: 'card-body hist-chart-body' });
			this.chartHost.append(h('section', { class: 'card hist-chart-card' },
				h('div', { class: 'card-head' }, h('h2', null, t(g.label))), body));
			for (const keys of g.charts) {
				const host = h('div', { class: 'hist-chart' });
				body.append(host);
				const chart = new Chart(host, {
					height: CHART_HEIGHT,
					series: keys.map(key => ({ key, label: columnLabel(key), unit: columnUnit(key), digits: columnDigits(key), band: true })),
				});
				chart.on('zoom', z => this.onZoom(z));
				this.charts.push({ chart, keys, host });
			}
		}
		if (!this.charts.length)
			this.chartHost.append(h('p', { class: 'empty-state' }, t('hist.no_group')));
	}

	async load() {
		const serial = (this.serial = (this.serial || 0) + 1);
		const w = this.window();
		if (w.from >= w.to) {
			this.error.show(new Error(t('hist.bad_window')));
			return;
		}
		const unit = this.units ? this.state.unit : null;
		updateCsvLink(this.csv, this.log, { ...w, unit });
		this.windowText.textContent = t('hist.window', { from: fmtDate(w.from * 1000), to: fmtDate(w.to * 1000) });
		this.zoomOut.hidden = !this.beforeZoom;
		this.root.setAttribute('aria-busy', 'true');
		try {
			const data = this.log === 'extended' ? await this.fetchExtended(w, unit) : null;
			await Promise.all(this.charts.map(async c => {
				const d = data ? extendedData(data, c.keys) : await this.fetchSeries(c, w, unit);
				if (serial === this.serial)
					c.chart.setData({ ...d, from: w.from * 1000, to: w.to * 1000 });
			}));
			if (serial === this.serial)
				this.error.show(null);
		} catch (err) {
			if (serial === this.serial)
				this.error.show(err);
		} finally {
			if (serial === this.serial)
				this.root.removeAttribute('aria-busy');
		}
	}

	// One GET /series per column, as many buckets as the chart has pixels.
	async fetchSeries(c, w, unit) {
		const points = Math.max(50, Math.min(MAX_POINTS, Math.round(c.host.clientWidth || 800)));
		const replies = await Promise.all(c.keys.map(column => api.get('/series', { column, unit: unit ?? 0, from: w.from, to: w.to, points })));
		const bucket = Math.max(...replies.map(r => r.bucket_ms || 0));
		return { ...mergeSeries(c.keys, replies), gap: GAP_FACTOR * Math.max(bucket, this.intervalMs) };
	}

	// Every row of the extended log in the window, oldest first.
	async fetchExtended(w, unit) {
		const rows = [];
		for (let page = 1; page <= EXTENDED_MAX_PAGES; page++) {
			const reply = await api.get('/logs/extended', { from: w.from, to: w.to, unit: unit ?? 0, order: 'asc', size: EXTENDED_PAGE, page });
			rows.push(...(reply.rows || []));
			if (rows.length >= reply.total || !(reply.rows || []).length)
				break;
		}
		return rows;
	}

	unmount() {
		for (const c of this.charts)
			c.chart.destroy();
		this.charts = [];
		this.serial = (this.serial || 0) + 1;
	}
}

// The series replies on one time axis (a bucket's middle), with display units.
function mergeSeries(keys, replies) {
	const index = new Map();
	for (const r of replies) {
		for (const p of r.points || [])
			index.set(p.t + (r.bucket_ms || 0) / 2, true);
	}
	const times = [...index.keys()].sort((a, b) => a - b);
	times.forEach((tm, i) => index.set(tm, i));
	const values = {}, min = {}, max = {};
	keys.forEach((key, k) => {
		values[key] = new Array(times.length).fill(null);
		min[key] = new Array(times.length).fill(null);
		max[key] = new Array(times.length).fill(null);
		const r = replies[k];
		for (const p of r.points || []) {
			const i = index.get(p.t + (r.bucket_ms || 0) / 2);
			values[key][i] = toDisplay(key, p.avg);
			min[key][i] = toDisplay(key, p.min);
			max[key][i] = toDisplay(key, p.max);
		}
	});
	return { t: times, values, min, max };
}

// Extended rows drawn at the middle of their interval.
function extendedData(rows, keys) {
	const values = {}, min = {}, max = {};
	for (const key of keys) {
		const cell = r => r[key] || {};
		values[key] = rows.map(r => toDisplay(key, cell(r).avg));
		min[key] = rows.map(r => toDisplay(key, cell(r).min));
		max[key] = rows.map(r => toDisplay(key, cell(r).max));
	}
	return { t: rows.map(r => (r.t + (r.t_end || r.t)) / 2), values, min, max };
}

let page = null;

export default {
	title: ctx => historyTitle('graph', ctx.query, live.status),
	async mount(root, ctx) {
		page = new HistoryGraphPage(root, ctx);
		await page.mount();
	},
	unmount() {
		if (page)
			page.unmount();
		page = null;
	},
};
