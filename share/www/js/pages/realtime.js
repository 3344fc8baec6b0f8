// #/realtime (§12.5, §13.6): the live values plotted as they arrive, over
// the last 10 minutes, between Start and Stop. Nothing is stored: the points
// live in this page only and are gone when it is left. The measurements are
// chosen with check boxes grouped like the manual's tables; the chart holds
// only the chosen ones, so that its legend and colours stay readable.
import { h } from '../dom.js';
import { t, temperatureUnit } from '../i18n.js';
import { live } from '../live.js';
import { Chart } from '../chart.js';
import { MEASURES, measureLabel, measurePhase } from '../measures.js';
import { noticeBox } from '../params-table.js';

const WINDOW_MS = 10 * 60 * 1000;
const MAX_SERIES = 8;   // the chart's palette: more would repeat colours
const GROUP_ORDER = ['output', 'input', 'bypass', 'battery', 'rectifier', 'inverter', 'sts', 'ambient'];
const DEFAULTS = {
	ups: ['output.voltage.l1', 'output.voltage.l2', 'output.voltage.l3', 'output.load'],
	sts: ['sts.source1.voltage.l1', 'sts.source2.voltage.l1', 'output.voltage.l1', 'output.load'],
};

let teardown = null;   // the mounted page's clean-up: its chart holds an observer and a frame

const isTemperature = key => MEASURES[key]?.unit === '°C';
const fahrenheit = () => temperatureUnit() === 'F';

function seriesDef(key) {
	const unit = isTemperature(key) && fahrenheit() ? '°F' : MEASURES[key].unit;
	return { key, label: measureLabel(key), unit, digits: MEASURES[key].digits };
}

function plotted(key, value) {
	if (value === null || value === undefined || !isTemperature(key) || !fahrenheit())
		return value ?? null;
	return value * 9 / 5 + 32;
}

// The measurements this level gives, by group, in the manual's order.
function availableByGroup(level) {
	const groups = new Map(GROUP_ORDER.map(g => [g, []]));
	for (const key of Object.keys(MEASURES)) {
		const v = level.measurements?.[key];
		if (v !== null && v !== undefined)
			groups.get(MEASURES[key].group)?.push(key);
	}
	return [...groups].filter(([, keys]) => keys.length);
}

/* The points seen since Start, all measurements, for the last WINDOW_MS. */
function makeBuffer() {
	return {
		t: [], values: {},
		push(time, point) {
			this.t.push(time);
			for (const [key, v] of Object.entries(point))
				(this.values[key] ||= new Array(this.t.length - 1).fill(null)).push(v);
			for (const key of Object.keys(this.values)) {
				if (this.values[key].length < this.t.length)
					this.values[key].push(null);
			}
			const cut = this.t.findIndex(x => x >= time - WINDOW_MS);
			if (cut > 0) {
				this.t.splice(0, cut);
				for (const list of Object.values(this.values))
					list.splice(0, cut);
			}
		},
		data(keys) {
			const values = {};
			for (const key of keys)
				values[key] = this.values[key] ? this.values[key].slice() : new Array(this.t.length).fill(null);
			return { t: this.t.slice(), values };
		},
	};
}

export default {
	title: 'rt.title',

	async mount(root, ctx) {
		root.classList.add('mon');
		const buffer = makeBuffer();
		const chartBox = h('div', { class: 'rt-chart' });
		const stateText = h('span', { class: 'rt-state', role: 'status' }, t('rt.stopped'));
		const startButton = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'start' } }, t('common.start'));
		const stopButton = h('button', { type: 'button', class: 'btn', dataset: { action: 'stop' }, disabled: true }, t('common.stop'));
		const noComm = noticeBox('warning', t('rt.no_comm'));
		const picker = h('div', { class: 'rt-picker' });
		const limitNote = h('p', { class: 'mon-help' }, t('rt.max_series', { n: MAX_SERIES }));
		root.append(
			h('div', { class: 'mon-toolbar rt-toolbar' }, startButton, stopButton, stateText),
			noComm, chartBox,
			h('p', { class: 'mon-help' }, t('rt.not_stored')),
			h('section', { class: 'rt-select', 'aria-labelledby': 'rt-select-h' },
				h('h2', { id: 'rt-select-h' }, t('rt.select')), limitNote, picker));

		let running = false;
		let selected = [];
		let chart = null;
		let boxes = [];
		let lastTime = null;

		function drawChart() {
			if (chart)
				chart.destroy();
			chart = new Chart(chartBox, { series: selected.map(seriesDef), window: WINDOW_MS, height: 360 });
			chart.setData(buffer.data(selected));
		}

		function syncLimits() {
			const full = selected.length >= MAX_SERIES;
			for (const box of boxes)
				box.disabled = !box.checked && full;
			limitNote.classList.toggle('is-warning', full);
		}

		function toggle(key, on) {
			selected = on ? [...selected, key] : selected.filter(k => k !== key);
			syncLimits();
			drawChart();
		}

		function checkbox(key, alone) {
			const def = seriesDef(key);
			const box = h('input', {
				type: 'checkbox', id: `rt-${key.replace(/\./g, '-')}`, value: key, checked: selected.includes(key),
				'aria-label': def.unit ? `${def.label} (${def.unit})` : def.label,
				on: { change: e => toggle(key, e.target.checked) },
			});
			boxes.push(box);
			return h('span', { class: 'rt-chip' }, box, h('label', { for: box.id }, measurePhase(key) || t(alone ? 'rt.show' : 'rt.total')));
		}

		// One line per quantity, one box per phase: "Output voltage  [L1] [L2] [L3] [U12]...".
		function groupFieldset(group, keys) {
			const byLabel = new Map();
			for (const key of keys)
				byLabel.set(MEASURES[key].label, [...(byLabel.get(MEASURES[key].label) || []), key]);
			return h('fieldset', { class: 'rt-group' },
				h('legend', null, t(`rt.group.${group}`)),
				[...byLabel].map(([label, list]) => {
					const unit = seriesDef(list[0]).unit;
					return h('div', { class: 'rt-line' },
						h('span', { class: 'rt-name' }, t(label), unit ? h('span', { class: 'rt-unit' }, ` (${unit})`) : null),
						h('span', { class: 'rt-chips' }, list.map(key => checkbox(key, list.length === 1))));
				}));
		}

		function buildPicker(level, kind) {
			const groups = availableByGroup(level);
			const offered = new Set(groups.flatMap(([, keys]) => keys));
			selected = DEFAULTS[kind === 'sts' ? 'sts' : 'ups'].filter(k => offered.has(k));
			boxes = [];
			picker.replaceChildren(...groups.map(([group, keys]) => groupFieldset(group, keys)));
			syncLimits();
			drawChart();
		}

		function setRunning(on) {
			running = on;
			startButton.disabled = on;
			stopButton.disabled = !on;
			stateText.textContent = t(on ? 'rt.running' : 'rt.stopped');
			stateText.classList.toggle('is-running', on);
		}
		startButton.addEventListener('click', () => setRunning(true));
		stopButton.addEventListener('click', () => setRunning(false));

		function onStatus(status) {
			const level = status?.levels?.[0];
			const commOk = status?.comm === 'ok';
			noComm.hidden = commOk || !status;
			if (!level) {
				root.dataset.ready = 'true';
				return;
			}
			// Built once; again if it was built empty, before the first values came.
			if (!chart || (!boxes.length && commOk))
				buildPicker(level, status.topology?.kind);
			root.dataset.ready = 'true';
			const time = Date.parse(status.time);
			// Alarm refetches re-emit the same snapshot: one point per poll.
			if (!running || !commOk || !Number.isFinite(time) || time === lastTime)
				return;
			lastTime = time;
			const point = {};
			for (const [key, v] of Object.entries(level.measurements || {}))
				if (MEASURES[key])
					point[key] = plotted(key, v);
			buffer.push(time, point);
			chart.append(time, Object.fromEntries(selected.map(k => [k, point[k] ?? null])));
		}

		ctx.on('status', onStatus);
		onStatus(live.status);
		teardown = () => chart?.destroy();
	},

	unmount() {
		teardown?.();
		teardown = null;
	},
};
