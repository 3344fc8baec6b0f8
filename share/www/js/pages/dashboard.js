// #/dashboard (§12.4, §13.5): the system-level measurements as widgets drawn
// in SVG: gauges with their nominal band, bar graphs of the output currents
// with the nominal current as a vertical line, and tiles. A widget whose
// measurements the device does not give is not shown; every value is also
// written out as text.
import { h, s } from '../dom.js';
import { t, tx, fmtMeasure, fmtNum } from '../i18n.js';
import { live } from '../live.js';
import { measurePhase } from '../measures.js';
import { noticeBox } from '../params-table.js';

const NOMINAL_PHASE_VOLTS = 230;   // the model gives no nominal voltage
const GAUGE = { cx: 110, cy: 104, r: 84, start: 180, sweep: 180, width: 220, height: 150 };
const PHASE_KEYS = ['l1', 'l2', 'l3'];

const present = v => v !== null && v !== undefined;

/* ---- geometry ---- */

function polar(angleDeg, r) {
	const a = angleDeg * Math.PI / 180;
	return [GAUGE.cx + r * Math.cos(a), GAUGE.cy + r * Math.sin(a)];
}

function arcPath(a1, a2, r) {
	const [x1, y1] = polar(a1, r);
	const [x2, y2] = polar(a2, r);
	return `M${x1.toFixed(2)} ${y1.toFixed(2)}A${r} ${r} 0 ${a2 - a1 > 180 ? 1 : 0} 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

function clamp(v, lo, hi) {
	return Math.min(hi, Math.max(lo, v));
}

// A scale value: under the arc's ends, outside the arc elsewhere.
function tickLabel(angle, text) {
	const end = angle <= GAUGE.start || angle >= GAUGE.start + GAUGE.sweep;
	const [x, y] = end ? polar(angle, GAUGE.r) : polar(angle, GAUGE.r + 13);
	return s('text', { x: x.toFixed(1), y: (end ? y + 20 : y + 4).toFixed(1), class: 'dash-tick', 'text-anchor': 'middle' }, text);
}

/* ---- scales: each widget's range and coloured bands ---- */

function loadScale() {
	return { min: 0, max: 150, bands: [[0, 90, 'ok'], [90, 100, 'warn'], [100, 150, 'crit']], ticks: [0, 50, 100, 150] };
}

function chargeScale() {
	return { min: 0, max: 100, bands: [[0, 25, 'warn'], [25, 100, 'ok']], ticks: [0, 50, 100] };
}

function voltageScale(nominal) {
	const lo = Math.round(nominal * 0.7 / 10) * 10;
	const hi = Math.round(nominal * 1.3 / 10) * 10;
	return {
		min: lo, max: hi, nominal,
		bands: [[lo, nominal * 0.9, 'crit'], [nominal * 0.9, nominal * 1.1, 'ok'], [nominal * 1.1, hi, 'crit']],
		ticks: [lo, nominal, hi],
	};
}

// 50 or 60 Hz, whichever the measured frequency is nearer.
function frequencyScale(values) {
	const seen = values.find(present);
	const nominal = seen !== undefined && Math.abs(seen - 60) < Math.abs(seen - 50) ? 60 : 50;
	return {
		min: nominal - 5, max: nominal + 5, nominal,
		bands: [[nominal - 5, nominal - 1, 'crit'], [nominal - 1, nominal + 1, 'ok'], [nominal + 1, nominal + 5, 'crit']],
		ticks: [nominal - 5, nominal, nominal + 5],
	};
}

/* ---- widgets ---- */

function card(id, titleKey, ...content) {
	const heading = h('h2', { class: 'dash-title', id: `dash-${id}-h` }, t(titleKey));
	return h('section', { class: 'dash-card', dataset: { widget: id }, 'aria-labelledby': heading.id }, heading, ...content);
}

function legendRow(label, swatch) {
	const value = h('span', { class: 'dash-legend-value' }, '—');
	const row = h('li', null, swatch != null ? h('span', { class: `dash-swatch dash-c${swatch}`, 'aria-hidden': 'true' }) : null,
		h('span', { class: 'dash-legend-label' }, label), value);
	return { row, value };
}

// A half-circle gauge with one needle per key; a single key also gets its value under the hub.
function gaugeWidget({ id, title, keys, labels, scale }) {
	const svg = s('svg', { class: 'dash-gauge', viewBox: `0 0 ${GAUGE.width} ${GAUGE.height}`, role: 'img' });
	const needles = keys.map((key, i) => s('g', { class: `dash-needle dash-c${keys.length > 1 ? i : 'x'}` },
		s('path', { d: `M${GAUGE.cx - 3} ${GAUGE.cy}L${GAUGE.cx} ${GAUGE.cy - GAUGE.r + 14}L${GAUGE.cx + 3} ${GAUGE.cy}Z` })));
	const centre = s('text', { x: GAUGE.cx, y: GAUGE.cy + 38, class: 'dash-gauge-value', 'text-anchor': 'middle' }, '—');
	const names = keys.map((key, i) => (labels ? labels[i] : measurePhase(key)));
	const legend = keys.length > 1 ? keys.map((key, i) => legendRow(names[i], i)) : [];
	let drawnScale = null;

	function drawScale(sc) {
		const angle = v => GAUGE.start + (clamp(v, sc.min, sc.max) - sc.min) / (sc.max - sc.min) * GAUGE.sweep;
		const bands = sc.bands.map(([a, b, cls]) => s('path', { d: arcPath(angle(a), angle(b), GAUGE.r), class: `dash-band dash-band-${cls}` }));
		const ticks = sc.ticks.map(v => tickLabel(angle(v), fmtNum(v)));
		svg.replaceChildren(
			s('path', { d: arcPath(GAUGE.start, GAUGE.start + GAUGE.sweep, GAUGE.r), class: 'dash-track' }),
			...bands, ...ticks, ...needles, s('circle', { cx: GAUGE.cx, cy: GAUGE.cy, r: 6, class: 'dash-hub' }));
		if (keys.length === 1)
			svg.append(centre);
		drawnScale = { ...sc, angle };
	}

	const el = card(id, title, svg, legend.length ? h('ul', { class: 'dash-legend' }, legend.map(l => l.row)) : null);

	function update(m) {
		const values = keys.map(k => m[k]);
		const sc = scale(values);
		if (!drawnScale || drawnScale.min !== sc.min || drawnScale.max !== sc.max)
			drawScale(sc);
		values.forEach((v, i) => {
			needles[i].style.transformOrigin = `${GAUGE.cx}px ${GAUGE.cy}px`;
			needles[i].style.transform = `rotate(${(present(v) ? drawnScale.angle(v) : GAUGE.start) + 90}deg)`;
			needles[i].classList.toggle('is-missing', !present(v));
			if (legend[i])
				legend[i].value.textContent = fmtMeasure(keys[i], v);
		});
		const text = keys.map((k, i) => (keys.length > 1 ? `${names[i]} ` : '') + fmtMeasure(k, values[i])).join(', ');
		centre.textContent = fmtMeasure(keys[0], values[0]);
		svg.setAttribute('aria-label', `${t(title)}: ${text}`);
	}

	return { el, keys, update };
}

// Horizontal bars, one per key, with a vertical line at the nominal value.
function barsWidget({ id, title, keys, nominal }) {
	const rowH = 30;
	const height = keys.length * rowH + 26;
	const x0 = 34;
	const width = 300;
	const plotW = 200;
	const svg = s('svg', { class: 'dash-bars', viewBox: `0 0 ${width} ${height}`, role: 'img' });
	const bars = keys.map((key, i) => {
		const y = 22 + i * rowH;
		const bar = s('rect', { x: x0, y, height: rowH - 10, width: 0, rx: 3, class: 'dash-bar' });
		const value = s('text', { x: x0 + plotW + 8, y: y + rowH / 2, class: 'dash-bar-value' }, '—');
		svg.append(s('text', { x: 0, y: y + rowH / 2, class: 'dash-bar-label' }, measurePhase(key)),
			s('rect', { x: x0, y, height: rowH - 10, width: plotW, rx: 3, class: 'dash-bar-track' }), bar, value);
		return { bar, value };
	});
	const limit = s('line', { y1: 14, y2: height - 2, class: 'dash-limit' });
	const limitText = s('text', { y: 10, class: 'dash-limit-label', 'text-anchor': 'middle' });
	svg.append(limit, limitText);
	const el = card(id, title, svg, h('p', { class: 'dash-note' }));
	const note = el.querySelector('.dash-note');

	function update(m, status) {
		const nom = nominal(status);
		const values = keys.map(k => m[k]);
		const top = Math.max(nom ? nom * 1.25 : 0, ...values.filter(present).map(v => v * 1.1), 1);
		values.forEach((v, i) => {
			bars[i].bar.setAttribute('width', present(v) ? (clamp(v, 0, top) / top * plotW).toFixed(1) : 0);
			bars[i].bar.setAttribute('class', `dash-bar${nom && v > nom ? ' dash-bar-over' : nom && v > nom * 0.9 ? ' dash-bar-high' : ''}`);
			bars[i].value.textContent = fmtMeasure(keys[i], v);
		});
		limit.toggleAttribute('hidden', !nom);
		limitText.toggleAttribute('hidden', !nom);
		if (nom) {
			const x = (x0 + nom / top * plotW).toFixed(1);
			for (const attr of ['x1', 'x2'])
				limit.setAttribute(attr, x);
			limitText.setAttribute('x', x);
			limitText.textContent = `${fmtNum(nom, 0)} A`;
		}
		note.textContent = nom ? t('dash.nominal_current', { a: fmtNum(nom, 0) }) : t('dash.nominal_unknown');
		const text = keys.map((k, i) => `${measurePhase(k)} ${fmtMeasure(k, values[i])}`).join(', ');
		svg.setAttribute('aria-label', `${t(title)}: ${text}. ${note.textContent}`);
	}

	return { el, keys, update };
}

// Values as large text: powers, temperatures, phase shift.
function tilesWidget({ id, title, keys, labels }) {
	const tiles = keys.map((key, i) => {
		const value = h('dd', { class: 'dash-tile-value' }, '—');
		const item = h('div', { class: 'dash-tile' }, h('dt', null, t(labels[i])), value);
		return { key, item, value };
	});
	const el = card(id, title, h('dl', { class: 'dash-tiles' }, tiles.map(x => x.item)));
	function update(m, status) {
		for (const tile of tiles) {
			// Without communication every value is missing: keep the tiles, showing "—".
			if (status.comm === 'ok')
				tile.item.hidden = !present(m[tile.key]);
			tile.value.textContent = fmtMeasure(tile.key, m[tile.key]);
		}
	}
	return { el, keys, update };
}

// The battery: charge gauge, and the remaining backup time while discharging (§12.4).
function batteryWidget() {
	const gauge = gaugeWidget({ id: 'battery', title: 'dash.battery', keys: ['battery.charge'], scale: chargeScale });
	const runtime = h('p', { class: 'dash-runtime', hidden: true });
	gauge.el.append(runtime);
	return {
		el: gauge.el, keys: gauge.keys,
		update(m, status, level) {
			gauge.update(m);
			const discharging = (level.flags || []).includes('on_battery');
			runtime.hidden = !discharging || !present(m['battery.runtime']);
			runtime.replaceChildren(h('span', null, t('meas.battery_runtime')), h('strong', null, fmtMeasure('battery.runtime', m['battery.runtime'])));
		},
	};
}

/* ---- nominal currents ---- */

function upsNominalAmps(status) {
	const id = status.identity || {};
	if (!id.nominal_kva)
		return null;
	const phases = id.phases_out || 3;
	return id.nominal_kva * 1000 / (phases * NOMINAL_PHASE_VOLTS);
}

// A STATYS gives no nominal power; its reference names its rating ("STATYS 63A").
function stsNominalAmps(status) {
	const match = /(\d+(?:\.\d+)?)\s*A\b/.exec(status.identity?.reference || '');
	return match ? Number(match[1]) : null;
}

function phaseKeys(prefix, list = PHASE_KEYS) {
	return list.map(p => `${prefix}.${p}`);
}

function upsWidgets() {
	const vScale = () => voltageScale(NOMINAL_PHASE_VOLTS);
	return [
		gaugeWidget({ id: 'load', title: 'dash.load', keys: ['output.load'], scale: loadScale }),
		batteryWidget(),
		gaugeWidget({ id: 'input-voltage', title: 'meas.input_voltage', keys: phaseKeys('input.voltage'), scale: vScale }),
		gaugeWidget({ id: 'input-frequency', title: 'meas.input_frequency', keys: ['input.frequency'], scale: frequencyScale }),
		gaugeWidget({ id: 'output-voltage', title: 'meas.output_voltage', keys: phaseKeys('output.voltage'), scale: vScale }),
		gaugeWidget({ id: 'output-frequency', title: 'meas.output_frequency', keys: ['output.frequency'], scale: frequencyScale }),
		barsWidget({ id: 'output-current', title: 'meas.output_current', keys: phaseKeys('output.current', [...PHASE_KEYS, 'n']), nominal: upsNominalAmps }),
		tilesWidget({ id: 'power', title: 'dash.power', keys: ['output.apparent_power', 'output.active_power'], labels: ['dash.kva', 'dash.kw'] }),
		tilesWidget({
			id: 'temperature', title: 'dash.temperatures', keys: ['ambient.temperature', 'battery.temperature'],
			labels: ['meas.ambient_temperature', 'meas.battery_temperature'],
		}),
	];
}

function stsWidgets() {
	const vScale = () => voltageScale(NOMINAL_PHASE_VOLTS);
	return [
		gaugeWidget({ id: 'load', title: 'dash.load', keys: ['output.load'], scale: loadScale }),
		gaugeWidget({ id: 'source1-voltage', title: 'meas.sts_source1_voltage', keys: phaseKeys('sts.source1.voltage'), scale: vScale }),
		gaugeWidget({ id: 'source2-voltage', title: 'meas.sts_source2_voltage', keys: phaseKeys('sts.source2.voltage'), scale: vScale }),
		gaugeWidget({ id: 'output-voltage', title: 'meas.output_voltage', keys: phaseKeys('output.voltage'), scale: vScale }),
		gaugeWidget({
			id: 'frequency', title: 'dash.frequency', keys: ['sts.source1.frequency', 'sts.source2.frequency', 'output.frequency'],
			labels: [t('params.source_n', { n: 1 }), t('params.source_n', { n: 2 }), t('dash.output')], scale: frequencyScale,
		}),
		barsWidget({ id: 'output-current', title: 'meas.output_current', keys: phaseKeys('output.current', [...PHASE_KEYS, 'n']), nominal: stsNominalAmps }),
		tilesWidget({
			id: 'temperature', title: 'dash.temperatures', keys: ['sts.ss1.temperature', 'sts.ss2.temperature', 'ambient.temperature'],
			labels: ['meas.sts_ss1_temperature', 'meas.sts_ss2_temperature', 'meas.ambient_temperature'],
		}),
		tilesWidget({
			id: 'power', title: 'dash.power_shift', keys: ['output.active_power', 'sts.phase_shift'],
			labels: ['dash.kw', 'meas.sts_phase_shift'],
		}),
	];
}

/* The state line above the widgets: status in words, and on battery a warning. */
function stateLine(status, level) {
	const st = level.state || {};
	const onBattery = (level.flags || []).includes('on_battery');
	const known = status.comm === 'ok';
	return h('div', { class: ['dash-state', onBattery ? 'is-warning' : null, known ? null : 'is-unknown'] },
		h('span', { class: 'dash-state-main' }, tx(st.ups_status) || '—'),
		st.output_source ? h('span', { class: 'dash-state-sub' }, tx(st.output_source)) : null,
		onBattery ? h('strong', { class: 'dash-state-alert' }, t('dash.on_battery')) : null);
}

export default {
	title: 'dash.title',

	async mount(root, ctx) {
		root.classList.add('mon');
		const noComm = noticeBox('warning', t('dash.no_comm'));
		const stateBox = h('div', { 'aria-live': 'polite' });
		const grid = h('div', { class: 'dash-grid' });
		const note = h('p', { class: 'mon-help', hidden: true });
		root.append(noComm, stateBox, note, grid);
		let widgets = null;
		let stateKey = null;

		function build(status) {
			widgets = status.topology?.kind === 'sts' ? stsWidgets() : upsWidgets();
			grid.replaceChildren(...widgets.map(w => w.el));
			note.hidden = (status.levels || []).length < 2;
			note.textContent = t('dash.system_note');
		}

		function draw(status) {
			const level = status?.levels?.[0];
			if (!level) {
				noComm.hidden = false;
				root.dataset.ready = 'true';
				return;
			}
			if (!widgets)
				build(status);
			const commOk = status.comm === 'ok';
			noComm.hidden = commOk;
			grid.classList.toggle('no-comm', !commOk);
			const m = level.measurements || {};
			for (const w of widgets) {
				// "Measurements not available are not represented"; keep the layout while stale.
				if (commOk)
					w.el.hidden = !w.keys.some(k => present(m[k]));
				w.update(m, status, level);
			}
			const key = JSON.stringify([status.comm, level.state, level.flags]);
			if (key !== stateKey) {
				stateKey = key;
				stateBox.replaceChildren(stateLine(status, level));
			}
			root.dataset.ready = 'true';
		}

		ctx.on('status', draw);
		draw(live.status);
	},
};
