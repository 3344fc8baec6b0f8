// chart.js: our own canvas time-series chart (docs/web-ui.md, "chart.js").
//
//   const c = new Chart(container, {series: [{key, label, unit, color?, band?, digits?}],
//                                   height?, yLabel?, window?, gap?})
//   c.setData({t, values, min?, max?, from?, to?, gap?})  // from/to (ms): the time axis when wider than
//                                                   // the data; gap: as the option, for this data
//   c.append(tMs, {key: v})                         // real time: keeps the last `window` ms
//   c.setVisible(key, bool)
//   c.on('zoom', ({from, to, reset}) => ...)        // drag to select a time range; double-click
//                                                   // (or the reset button) resets, with reset: true
//   c.destroy()
//
// Lines break at null values and at time gaps longer than `gap` ms (default: 5 times the usual
// spacing of the points). A series with `band` and min/max arrays is drawn as a translucent band
// between min and max with its value (the average) as the line. The first unit of the visible
// series gets the left axis, a second unit the right axis; further units share the left one.
// When there are more points than pixel columns, each column draws its first, lowest, highest and
// last value only, so peaks survive and 10k points cost a few milliseconds.

import { h, table } from './dom.js';
import { t, locale, fmtDate } from './i18n.js';

// Okabe-Ito: distinguishable with the common colour-vision deficiencies (yellow darkened for white).
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#555555', '#A89000'];

const SECOND = 1000, MINUTE = 60 * SECOND, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
const TIME_STEPS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
	MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
	HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY];
const FONT_PX = 12;
const MARGIN = { top: 22, bottom: 38, side: 10 };
const TABLE_ROWS = 500;   // the text alternative lists at most this many rows, newest first
const DRAG_MIN_PX = 6;    // a shorter drag is a click (shows the cursor), not a zoom

export class Chart {
	constructor(container, opts) {
		this.series = opts.series.map((s, i) => ({ ...s, color: s.color || PALETTE[i % PALETTE.length], visible: true }));
		this.window = opts.window || 0;
		this.gapDefault = this.gapOption = opts.gap || 0;
		this.yLabel = opts.yLabel || '';
		this.handlers = { zoom: [] };
		this.view = null;            // {from, to} while zoomed
		this.hoverX = null;          // css px inside the canvas, or null
		this.drag = null;            // {x0, x1} while selecting
		this.frame = 0;
		this.dataVersion = 0;
		this.clearData();
		this.build(container, opts.height || 280);
	}

	// ---- public API ----

	setData({ t: times, values, min, max, from, to, gap }) {
		this.t = times.slice();
		this.values = {};
		this.min = {};
		this.max = {};
		for (const s of this.series) {
			this.values[s.key] = (values && values[s.key]) ? values[s.key].slice() : new Array(times.length).fill(null);
			if (min && min[s.key]) this.min[s.key] = min[s.key].slice();
			if (max && max[s.key]) this.max[s.key] = max[s.key].slice();
		}
		this.fixedFrom = Number.isFinite(from) ? from : null;
		this.fixedTo = Number.isFinite(to) ? to : null;
		this.gapOption = gap || this.gapDefault;
		this.view = null;
		this.resetButton.hidden = true;
		this.changed();
	}

	append(tMs, point) {
		this.t.push(tMs);
		for (const s of this.series) {
			const v = point[s.key];
			this.values[s.key].push(v ?? null);
			if (this.min[s.key]) this.min[s.key].push(v ?? null);
			if (this.max[s.key]) this.max[s.key].push(v ?? null);
		}
		if (this.window) this.dropBefore(tMs - this.window);
		this.changed();
	}

	setVisible(key, visible) {
		const s = this.series.find((x) => x.key === key);
		if (!s || s.visible === visible) return;
		s.visible = visible;
		const button = this.legend.querySelector(`button[data-key="${CSS.escape(key)}"]`);
		if (button) button.setAttribute('aria-pressed', String(visible));
		this.changed();
	}

	on(name, fn) {
		(this.handlers[name] ||= []).push(fn);
		return () => { this.handlers[name] = this.handlers[name].filter((f) => f !== fn); };
	}

	destroy() {
		if (this.frame) cancelAnimationFrame(this.frame);
		this.resizeObserver.disconnect();
		this.root.remove();
		this.handlers = { zoom: [] };
		this.clearData();
	}

	// ---- data ----

	clearData() {
		this.t = [];
		this.values = {};
		this.min = {};
		this.max = {};
		for (const s of this.series || []) this.values[s.key] = [];
		this.fixedFrom = this.fixedTo = null;
	}

	// Real time: drop the points older than the window so memory stays flat.
	dropBefore(limit) {
		const cut = lowerBound(this.t, limit);
		if (cut === 0) return;
		this.t.splice(0, cut);
		for (const s of this.series) {
			this.values[s.key].splice(0, cut);
			if (this.min[s.key]) this.min[s.key].splice(0, cut);
			if (this.max[s.key]) this.max[s.key].splice(0, cut);
		}
	}

	changed() {
		this.dataVersion++;
		this.schedule();
		if (this.tableBox && !this.tableBox.hidden) this.tableDirty = true;
	}

	// The time axis: the zoom, else the window (real time), else setData's from/to or the data.
	domain() {
		if (this.view) return this.view;
		const n = this.t.length;
		if (this.window) {
			const to = n ? this.t[n - 1] : Date.now();
			return { from: to - this.window, to };
		}
		const from = this.fixedFrom ?? (n ? this.t[0] : Date.now() - HOUR);
		let to = this.fixedTo ?? (n ? this.t[n - 1] : Date.now());
		if (to <= from) to = from + MINUTE;
		return { from, to };
	}

	// A line breaks where two points are further apart than this.
	gapLimit() {
		if (this.gapOption) return this.gapOption;
		if (this.gapVersion === this.dataVersion) return this.gapCached;
		const n = this.t.length, stride = Math.max(1, Math.floor(n / 200)), steps = [];
		for (let i = stride; i < n; i += stride) steps.push((this.t[i] - this.t[i - stride]) / stride);
		steps.sort((a, b) => a - b);
		this.gapCached = steps.length ? Math.max(5 * steps[steps.length >> 1], SECOND) : Infinity;
		this.gapVersion = this.dataVersion;
		return this.gapCached;
	}

	// ---- DOM ----

	build(container, height) {
		this.canvas = h('canvas', { class: 'chart-canvas', role: 'img' });
		this.tip = h('div', { class: 'chart-tip', 'aria-hidden': 'true' });
		this.tip.hidden = true;
		this.plot = h('div', { class: 'chart-plot' }, this.canvas, this.tip);
		this.plot.style.height = `${height}px`;
		this.legend = h('ul', { class: 'chart-legend' }, this.series.map((s) => this.legendItem(s)));
		this.resetButton = h('button', { type: 'button', class: 'chart-reset', text: t('chart.reset_zoom'), on: { click: () => this.resetZoom() } });
		this.resetButton.hidden = true;
		this.tableButton = h('button', { type: 'button', class: 'chart-table-toggle', 'aria-expanded': 'false', text: t('chart.show_table'), on: { click: () => this.toggleTable() } });
		this.tableBox = h('div', { class: 'chart-table' });
		this.tableBox.hidden = true;
		const bar = h('div', { class: 'chart-bar' }, this.legend, h('div', { class: 'chart-tools' }, this.resetButton, this.tableButton));
		this.root = h('div', { class: 'chart' }, bar, this.plot, this.tableBox);
		container.append(this.root);
		this.ctx = this.canvas.getContext('2d');
		this.resizeObserver = new ResizeObserver(() => this.schedule());
		this.resizeObserver.observe(this.plot);
		this.bindPointer();
	}

	legendItem(s) {
		const swatch = h('span', { class: s.band ? 'chart-swatch chart-swatch-band' : 'chart-swatch', 'aria-hidden': 'true' });
		swatch.style.setProperty('--swatch', s.color);
		const label = s.unit ? `${s.label} (${s.unit})` : s.label;
		return h('li', {}, h('button', {
			type: 'button', class: 'chart-legend-item', 'aria-pressed': 'true', dataset: { key: s.key },
			title: t('chart.toggle_series'), on: { click: () => this.setVisible(s.key, !s.visible) },
		}, swatch, h('span', { text: label })));
	}

	bindPointer() {
		const c = this.canvas;
		const x = (e) => e.clientX - c.getBoundingClientRect().left;
		c.addEventListener('pointerdown', (e) => {
			if (e.button !== 0 || !this.inPlot(x(e))) return;
			c.setPointerCapture(e.pointerId);
			this.drag = { x0: x(e), x1: x(e) };
			this.hoverX = x(e);
			this.schedule();
		});
		c.addEventListener('pointermove', (e) => {
			this.hoverX = x(e);
			if (this.drag) this.drag.x1 = x(e);
			this.schedule();
		});
		c.addEventListener('pointerup', () => this.endDrag());
		c.addEventListener('pointercancel', () => { this.drag = null; this.schedule(); });
		c.addEventListener('pointerleave', (e) => {
			// A finger lifting also "leaves": keep its cursor until the next touch.
			if (e.pointerType === 'mouse' && !this.drag) { this.hoverX = null; this.schedule(); }
		});
		c.addEventListener('dblclick', () => this.resetZoom());
	}

	endDrag() {
		const d = this.drag;
		this.drag = null;
		if (d && Math.abs(d.x1 - d.x0) >= DRAG_MIN_PX && this.layout) {
			const { timeAt } = this.layout;
			const from = Math.round(timeAt(Math.min(d.x0, d.x1))), to = Math.round(timeAt(Math.max(d.x0, d.x1)));
			this.view = { from, to };
			this.resetButton.hidden = false;
			this.emit('zoom', { from, to });
		}
		this.schedule();
	}

	// Also without a zoom of its own: the owner may have zoomed by fetching a narrower window.
	resetZoom() {
		this.view = null;
		this.resetButton.hidden = true;
		this.emit('zoom', { ...this.domain(), reset: true });
		this.schedule();
	}

	emit(name, arg) {
		for (const fn of this.handlers[name] || []) fn(arg);
	}

	inPlot(x) {
		return this.layout && x >= this.layout.left && x <= this.layout.right;
	}

	// ---- drawing ----

	schedule() {
		if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
	}

	draw() {
		const width = this.plot.clientWidth, height = this.plot.clientHeight;
		if (!width || !height) return;
		const dpr = window.devicePixelRatio || 1;
		if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
			this.canvas.width = Math.round(width * dpr);
			this.canvas.height = Math.round(height * dpr);
		}
		const ctx = this.ctx;
		ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
		ctx.clearRect(0, 0, width, height);
		const style = getComputedStyle(this.root);
		this.colors = {
			text: style.getPropertyValue('--chart-text').trim() || style.color,
			grid: style.getPropertyValue('--chart-grid').trim() || '#e2e6ea',
			axis: style.getPropertyValue('--chart-axis').trim() || '#9aa3ad',
			select: style.getPropertyValue('--chart-select').trim() || 'rgba(0, 114, 178, 0.12)',
		};
		ctx.font = `${FONT_PX}px ${style.fontFamily}`;
		const range = this.domain();
		const axes = this.valueAxes(range);
		const layout = this.computeLayout(width, height, range, axes);
		this.layout = layout;
		this.drawGrid(layout, axes);
		ctx.save();
		ctx.beginPath();
		ctx.rect(layout.left, layout.top, layout.right - layout.left, layout.bottom - layout.top);
		ctx.clip();
		for (const s of this.visibleSeries()) this.drawSeries(s, layout, axes.of(s));
		if (this.drag) this.drawSelection(layout);
		ctx.restore();
		if (!this.t.length) this.drawMessage(layout, t('chart.no_data'));
		this.drawCursor(layout, axes);
		this.canvas.setAttribute('aria-label', this.summary(range));
		if (this.tableDirty) this.renderTable();
	}

	visibleSeries() {
		return this.series.filter((s) => s.visible);
	}

	// Indexes [i0, i1) of the points drawn for a time range, one beyond each end so lines reach the edges.
	indexRange(range) {
		const i0 = Math.max(0, lowerBound(this.t, range.from) - 1);
		const i1 = Math.min(this.t.length, lowerBound(this.t, range.to + 1) + 1);
		return [i0, i1];
	}

	// One value axis per unit (two at most); the scale covers what is visible in the time range.
	valueAxes(range) {
		const units = [];
		for (const s of this.visibleSeries()) if (!units.includes(s.unit ?? '')) units.push(s.unit ?? '');
		const list = units.slice(0, 2).map((unit, i) => ({ unit, side: i ? 'right' : 'left', lo: Infinity, hi: -Infinity }));
		if (!list.length) list.push({ unit: '', side: 'left', lo: Infinity, hi: -Infinity });
		const of = (s) => list.find((a) => a.unit === (s.unit ?? '')) || list[0];
		const [i0, i1] = this.indexRange(range);
		for (const s of this.visibleSeries()) {
			const a = of(s);
			for (const arr of [this.values[s.key], s.band && this.min[s.key], s.band && this.max[s.key]]) {
				if (!arr) continue;
				for (let i = i0; i < i1; i++) {
					const v = arr[i];
					if (v == null) continue;
					if (v < a.lo) a.lo = v;
					if (v > a.hi) a.hi = v;
				}
			}
		}
		return { list, of };
	}

	computeLayout(width, height, range, axes) {
		const ctx = this.ctx;
		const top = MARGIN.top, bottom = height - MARGIN.bottom;
		const tickCount = Math.max(2, Math.round((bottom - top) / 48));
		for (const a of axes.list) {
			Object.assign(a, niceScale(a.lo, a.hi, tickCount));
			a.width = Math.max(...a.ticks.map((v) => ctx.measureText(a.format(v)).width), ctx.measureText(this.axisTitle(a)).width / 2) + 8;
		}
		const leftAxis = axes.list[0], rightAxis = axes.list[1];
		const left = Math.ceil(MARGIN.side + leftAxis.width);
		const right = Math.floor(width - MARGIN.side - (rightAxis ? rightAxis.width : 6));
		const span = range.to - range.from;
		const xOf = (tm) => left + (tm - range.from) / span * (right - left);
		const timeAt = (x) => range.from + (x - left) / (right - left) * span;
		for (const a of axes.list) {
			const k = (bottom - top) / (a.max - a.min);
			a.y = (v) => bottom - (v - a.min) * k;
		}
		return { width, height, top, bottom, left, right, range, xOf, timeAt };
	}

	axisTitle(a) {
		return a.side === 'left' && this.yLabel ? this.yLabel : a.unit;
	}

	drawGrid(L, axes) {
		const ctx = this.ctx, c = this.colors;
		ctx.lineWidth = 1;
		ctx.fillStyle = c.text;
		// Value ticks: grid lines from the left axis; the right axis only labels its own ticks.
		for (const a of axes.list) {
			const left = a.side === 'left';
			ctx.textAlign = left ? 'right' : 'left';
			ctx.textBaseline = 'middle';
			for (const v of a.ticks) {
				const y = crisp(a.y(v));
				if (left) line(ctx, L.left, y, L.right, y, c.grid);
				ctx.fillText(a.format(v), left ? L.left - 6 : L.right + 6, y);
			}
			ctx.textAlign = left ? 'left' : 'right';
			ctx.textBaseline = 'alphabetic';
			ctx.fillText(this.axisTitle(a), left ? MARGIN.side : L.width - MARGIN.side, L.top - 8);
		}
		// Time ticks, with the date under the first tick and wherever the day changes.
		const ticks = timeTicks(L.range.from, L.range.to, (L.right - L.left) / 96);
		ctx.textAlign = 'center';
		ctx.textBaseline = 'top';
		let lastDay = '';
		for (const tick of ticks) {
			const x = crisp(L.xOf(tick.t));
			line(ctx, x, L.top, x, L.bottom, c.grid);
			ctx.fillStyle = c.text;
			ctx.fillText(tick.label, labelX(ctx, tick.label, x, L.width), L.bottom + 6);
			const day = tick.dateLine;
			if (day && day !== lastDay) ctx.fillText(day, labelX(ctx, day, x, L.width), L.bottom + 6 + FONT_PX + 3);
			lastDay = day || lastDay;
		}
		ctx.strokeStyle = c.axis;
		ctx.strokeRect(crisp(L.left), crisp(L.top), Math.round(L.right - L.left), Math.round(L.bottom - L.top));
	}

	drawSeries(s, L, axis) {
		const [i0, i1] = this.indexRange(L.range);
		const gap = this.gapLimit();
		if (s.band && this.min[s.key] && this.max[s.key]) {
			this.ctx.globalAlpha = 0.2;
			this.ctx.fillStyle = s.color;
			for (const seg of columnSegments(this.t, this.min[s.key], this.max[s.key], i0, i1, L.xOf, gap)) fillBand(this.ctx, seg, axis.y);
			this.ctx.globalAlpha = 1;
		}
		const values = this.values[s.key];
		this.ctx.strokeStyle = this.ctx.fillStyle = s.color;
		this.ctx.lineWidth = 1.6;
		this.ctx.lineJoin = 'round';
		for (const seg of columnSegments(this.t, values, values, i0, i1, L.xOf, gap)) strokeLine(this.ctx, seg, axis.y);
	}

	drawSelection(L) {
		const x0 = clamp(Math.min(this.drag.x0, this.drag.x1), L.left, L.right);
		const x1 = clamp(Math.max(this.drag.x0, this.drag.x1), L.left, L.right);
		this.ctx.fillStyle = this.colors.select;
		this.ctx.fillRect(x0, L.top, x1 - x0, L.bottom - L.top);
	}

	drawMessage(L, text) {
		this.ctx.fillStyle = this.colors.text;
		this.ctx.textAlign = 'center';
		this.ctx.textBaseline = 'middle';
		this.ctx.fillText(text, (L.left + L.right) / 2, (L.top + L.bottom) / 2);
	}

	// The crosshair at the point nearest the pointer, and the tooltip listing the values there.
	drawCursor(L, axes) {
		const i = this.hoverX == null || !this.inPlot(this.hoverX) ? -1 : this.nearestIndex(L.timeAt(this.hoverX), L.range);
		if (i < 0) { this.tip.hidden = true; return; }
		const ctx = this.ctx, x = crisp(L.xOf(this.t[i]));
		line(ctx, x, L.top, x, L.bottom, this.colors.axis);
		const rows = [];
		for (const s of this.visibleSeries()) {
			const v = this.values[s.key][i];
			rows.push(this.tipRow(s, i));
			if (v == null) continue;
			ctx.fillStyle = s.color;
			ctx.beginPath();
			ctx.arc(L.xOf(this.t[i]), axes.of(s).y(v), 3.5, 0, 2 * Math.PI);
			ctx.fill();
		}
		this.tip.replaceChildren(h('div', { class: 'chart-tip-time', text: fmtDate(this.t[i], { seconds: true }) }), ...rows);
		this.tip.hidden = false;
		const tipWidth = this.tip.offsetWidth;
		const leftSide = x + 14 + tipWidth > L.width;
		this.tip.style.left = `${leftSide ? Math.max(0, x - 14 - tipWidth) : x + 14}px`;
		this.tip.style.top = `${L.top}px`;
	}

	tipRow(s, i) {
		const swatch = h('span', { class: 'chart-swatch', 'aria-hidden': 'true' });
		swatch.style.setProperty('--swatch', s.color);
		return h('div', { class: 'chart-tip-row' }, swatch, h('span', { class: 'chart-tip-label', text: s.label }),
			h('span', { class: 'chart-tip-value', text: this.valueText(s, i) }));
	}

	valueText(s, i) {
		const v = this.values[s.key][i];
		const value = this.formatValue(s, v);
		if (!s.band || !this.min[s.key] || !this.max[s.key] || v == null) return value;
		return t('chart.avg_min_max', { avg: value, min: this.formatValue(s, this.min[s.key][i]), max: this.formatValue(s, this.max[s.key][i]) });
	}

	formatValue(s, v) {
		if (v == null) return '—';
		const text = new Intl.NumberFormat(locale(), { maximumFractionDigits: s.digits ?? 2, minimumFractionDigits: s.digits ?? 0 }).format(v);
		return s.unit ? `${text} ${s.unit}` : text;
	}

	nearestIndex(tm, range) {
		const n = this.t.length;
		if (!n) return -1;
		let i = lowerBound(this.t, tm);
		if (i >= n || (i > 0 && tm - this.t[i - 1] < this.t[i] - tm)) i--;
		return this.t[i] >= range.from && this.t[i] <= range.to ? i : -1;
	}

	// ---- text alternative ----

	summary(range) {
		const names = this.visibleSeries().map((s) => s.label).join(', ') || t('common.none');
		return t('chart.summary', { series: names, from: fmtDate(range.from), to: fmtDate(range.to), n: this.t.length });
	}

	toggleTable() {
		const open = this.tableBox.hidden;
		this.tableBox.hidden = !open;
		this.tableButton.setAttribute('aria-expanded', String(open));
		this.tableButton.textContent = t(open ? 'chart.hide_table' : 'chart.show_table');
		if (open) this.renderTable();
	}

	renderTable() {
		this.tableDirty = false;
		const range = this.domain(), shown = this.visibleSeries();
		const rows = [];
		const [i0, i1] = this.indexRange(range);
		for (let i = i1 - 1; i >= i0 && rows.length < TABLE_ROWS; i--) {
			if (this.t[i] >= range.from && this.t[i] <= range.to) rows.push(i);
		}
		const columns = [{ key: 't', label: t('chart.time'), render: (i) => fmtDate(this.t[i], { seconds: true }) },
			...shown.map((s) => ({ key: s.key, align: 'right', label: s.unit ? `${s.label} (${s.unit})` : s.label,
				render: (i) => this.valueText({ ...s, unit: '' }, i) }))];
		this.tableBox.replaceChildren(table({ columns, rows, caption: t('chart.table_caption', { n: rows.length }), empty: t('chart.no_data') }));
	}
}

export default Chart;

// ---- helpers (pure) ----

function lowerBound(arr, value) {
	let lo = 0, hi = arr.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (arr[mid] < value) lo = mid + 1; else hi = mid;
	}
	return lo;
}

function clamp(v, lo, hi) {
	return Math.min(hi, Math.max(lo, v));
}

// Half-pixel alignment so 1 px lines are sharp at any devicePixelRatio.
function crisp(v) {
	const dpr = window.devicePixelRatio || 1;
	return (Math.round(v * dpr) + 0.5) / dpr;
}

// A centred label's x, moved inwards so it does not run off the canvas.
function labelX(ctx, text, x, width) {
	const half = ctx.measureText(text).width / 2 + 2;
	return clamp(x, half, width - half);
}

function line(ctx, x0, y0, x1, y1, color) {
	ctx.strokeStyle = color;
	ctx.beginPath();
	ctx.moveTo(x0, y0);
	ctx.lineTo(x1, y1);
	ctx.stroke();
}

// Splits points [i0, i1) into unbroken segments of pixel columns. Each column keeps its first and
// last point, the lowest of `lo` and the highest of `hi`: a band passes its min and max arrays, a
// line passes its values twice.
function columnSegments(times, lo, hi, i0, i1, xOf, gap) {
	const segments = [];
	let seg = null, col = null, prevT = -Infinity;
	for (let i = i0; i < i1; i++) {
		const a = lo[i], b = hi[i];
		if (a == null || b == null || times[i] - prevT > gap) seg = null;
		if (a == null || b == null) continue;
		prevT = times[i];
		const x = Math.round(xOf(times[i]));
		if (!seg) { seg = []; segments.push(seg); col = null; }
		if (col && col.x === x) {
			if (a < col.lo) col.lo = a;
			if (b > col.hi) col.hi = b;
			col.lastLo = a;
			continue;
		}
		col = { x, lo: a, hi: b, firstLo: a, lastLo: a };
		seg.push(col);
	}
	return segments;
}

function strokeLine(ctx, seg, y) {
	if (seg.length === 1 && seg[0].lo === seg[0].hi) {
		ctx.beginPath();
		ctx.arc(seg[0].x, y(seg[0].lo), 2, 0, 2 * Math.PI);
		ctx.fill();
		return;
	}
	ctx.beginPath();
	seg.forEach((c, k) => {
		if (k === 0) ctx.moveTo(c.x, y(c.firstLo)); else ctx.lineTo(c.x, y(c.firstLo));
		if (c.lo !== c.hi) { ctx.lineTo(c.x, y(c.lo)); ctx.lineTo(c.x, y(c.hi)); }
		ctx.lineTo(c.x, y(c.lastLo));
	});
	ctx.stroke();
}

function fillBand(ctx, seg, y) {
	if (seg.length === 1) {   // a lone column still gets a visible width
		const c = seg[0];
		ctx.fillRect(c.x - 1, y(c.hi), 2, Math.max(1, y(c.lo) - y(c.hi)));
		return;
	}
	ctx.beginPath();
	seg.forEach((c, k) => (k ? ctx.lineTo(c.x, y(c.hi)) : ctx.moveTo(c.x, y(c.hi))));
	for (let k = seg.length - 1; k >= 0; k--) ctx.lineTo(seg[k].x, y(seg[k].lo));
	ctx.closePath();
	ctx.fill();
}

// Value scale with round ticks: about `count` ticks covering [lo, hi].
function niceScale(lo, hi, count) {
	if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = 0; hi = 1; }
	if (lo === hi) { const pad = Math.abs(lo) * 0.05 || 1; lo -= pad; hi += pad; }
	const raw = (hi - lo) / count;
	const pow = 10 ** Math.floor(Math.log10(raw));
	const f = raw / pow;
	const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * pow;
	const min = Math.floor(lo / step) * step;
	// A line on the top edge reads as clipped: leave a step above it.
	const top = Math.ceil(hi / step) * step;
	const max = hi !== 0 && top - hi < step * 1e-6 ? top + step : top;
	const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
	const ticks = [];
	for (let v = min; v <= max + step / 2; v += step) ticks.push(Number(v.toFixed(digits)));
	const nf = new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
	return { min, max, ticks, format: (v) => nf.format(v) };
}

// At most `maxTicks` time ticks on round local times; the date goes on a second line.
function timeTicks(from, to, maxTicks) {
	const span = to - from;
	const step = TIME_STEPS.find((s) => span / s <= maxTicks) || TIME_STEPS[TIME_STEPS.length - 1];
	const loc = locale();
	const timeFmt = new Intl.DateTimeFormat(loc, step < MINUTE
		? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
	const dateFmt = new Intl.DateTimeFormat(loc, { day: 'numeric', month: 'short' });
	const ticks = [];
	if (step >= DAY) {
		const days = step / DAY;
		const d = new Date(from);
		d.setHours(0, 0, 0, 0);
		while (d.getTime() < from) d.setDate(d.getDate() + 1);
		for (; d.getTime() <= to; d.setDate(d.getDate() + 1)) {
			const dayNumber = Math.round((d.getTime() - d.getTimezoneOffset() * MINUTE) / DAY);
			if (dayNumber % days === 0) ticks.push({ t: d.getTime(), label: dateFmt.format(d), dateLine: '' });
		}
		return ticks;
	}
	const offset = -new Date(from).getTimezoneOffset() * MINUTE;
	for (let tm = Math.ceil((from + offset) / step) * step - offset; tm <= to; tm += step) {
		ticks.push({ t: tm, label: timeFmt.format(tm), dateLine: dateFmt.format(tm) });
	}
	return ticks;
}
