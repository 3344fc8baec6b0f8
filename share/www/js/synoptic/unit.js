// The unit synoptic (§12.1.1-12.1.3): the 21 elements of the manual, drawn
// once, then coloured and animated from each live status. Elements 20
// (battery sharing) and 21 (IoT status) have nothing in the live model to
// drive them, so they are not represented.
import { s } from '../dom.js';
import { t, tx, fmtNum } from '../i18n.js';
import {
	OFF, OK, WARN, ALARM, measure, indicator, loadWord, severityState, alarmCount, percentText, minutesText,
	readUps, converterState, bypassState, supplyState, inverterOutState, bypassInState, bypassOutState, outputState, updateLoad, supplyLine, lineState,
	plane, svgRoot, element, wire, dot, block, alarmBadge, sineGlyph, dcGlyph, source, breaker, label, valueText,
	batterySymbol, loadGauge, indicatorItem, packIndicators, greyAll,
} from './common.js';

// Landscape positions; portrait swaps the axes (common.js plane()).
const X = { src: 70, tap: 150, rect: 250, dc: 390, sw: 470, inv: 540, join: 690, drop: 775, load: 900 };
const LAYOUT = {
	landscape: { w: 1000, h: 482, block: 84, load: 104, rows: { maint: 48, byp: 140, main: 280, bat: 405 } },
	// short: the height when no indicator shows (they sit below the load).
	portrait: { w: 490, h: 1060, short: 975, block: 76, load: 96, rows: { maint: 22, byp: 96, main: 290, bat: 400 } },
};

// Where the labels of a symbol go: under it in landscape, on its right in portrait.
function beside(pl, [x, y], half) {
	const [px, py] = pl.p(x, y);
	return pl.portrait
		? { pos: [px + half + 12, py - 4], anchor: 'start' }
		: { pos: [px, py + half + 20], anchor: 'middle' };
}

function labelled(g, pl, at, half, name, { value = false } = {}) {
	const { pos, anchor } = beside(pl, at, half);
	label(g, pos, name, { anchor });
	return value ? valueText(g, [pos[0], pos[1] + 34], { anchor }) : null;
}

function buildSources(svg, pl, L, pick) {
	const { rows } = L;
	const els = {};
	els.rectSupply = element(svg, { key: 'rectifier-input-supply', name: t('syn.el.rect_supply'), pick: () => pick('rectifier') });
	wire(els.rectSupply.g, pl.path([[X.src + 24, rows.main], [X.rect - L.block / 2, rows.main]]));
	source(els.rectSupply.g, pl.p(X.src, rows.main));
	els.rectSupply.value = labelled(els.rectSupply.g, pl, [X.src, rows.main], 24, t('syn.name.rect_supply'), { value: true });

	els.bypSupply = element(svg, { key: 'bypass-input-supply', name: t('syn.el.byp_supply'), pick: () => pick('bypass') });
	wire(els.bypSupply.g, pl.path([[X.src + 24, rows.byp], [X.tap, rows.byp]]));
	source(els.bypSupply.g, pl.p(X.src, rows.byp));
	dot(els.bypSupply.g, pl.p(X.tap, rows.byp), 5);
	els.bypSupply.value = labelled(els.bypSupply.g, pl, [X.src, rows.byp], 24, t('syn.name.byp_supply'), { value: true });
	return els;
}

function converter(svg, pl, L, { key, name, short, at, section, pick, glyphs }) {
	const el = element(svg, { key, name, pick: () => pick(section) });
	const g = block(el.g, pl.p(...at), L.block, { diagonal: true });
	const q = L.block / 4;
	glyphs[0](g, [-q, -q + 2]);
	glyphs[1](g, [q, q - 2]);
	alarmBadge(g, [L.block / 2 - 2, -L.block / 2 + 2]);
	labelled(el.g, pl, at, L.block / 2, short);
	return el;
}

function buildMainPath(svg, pl, L, pick) {
	const { rows } = L, half = L.block / 2;
	const els = {};
	els.rectifier = converter(svg, pl, L, {
		key: 'rectifier', name: t('syn.el.rectifier'), short: t('syn.name.rectifier'),
		at: [X.rect, rows.main], section: 'rectifier', pick, glyphs: [sineGlyph, dcGlyph],
	});
	els.rectOut = element(svg, { key: 'rectifier-output', name: t('syn.el.rect_out'), pick: () => pick('rectifier'), focus: false });
	wire(els.rectOut.g, pl.path([[X.rect + half, rows.main], [X.dc - 7, rows.main]]));
	els.dcBus = element(svg, { key: 'dc-bus', name: t('syn.el.dc_bus'), pick: () => pick('battery'), focus: false });
	els.dcBus.g.appendChild(s('rect', {
		class: 'syn-bus',
		...rectAt(pl, [X.dc, rows.main], 10, 44),
	}));
	els.invIn = element(svg, { key: 'inverter-input', name: t('syn.el.inv_in'), pick: () => pick('inverter'), focus: false });
	wire(els.invIn.g, pl.path([[X.dc + 7, rows.main], [X.inv - half, rows.main]]));
	els.inverter = converter(svg, pl, L, {
		key: 'inverter', name: t('syn.el.inverter'), short: t('syn.name.inverter'),
		at: [X.inv, rows.main], section: 'inverter', pick, glyphs: [dcGlyph, sineGlyph],
	});
	els.invOut = element(svg, { key: 'inverter-output', name: t('syn.el.inv_out'), pick: () => pick('inverter'), focus: false });
	wire(els.invOut.g, pl.path([[X.inv + half, rows.main], [X.join - 6, rows.main]]));
	return els;
}

// A rectangle of landscape size w x h centred on a point, in the plane's axes.
function rectAt(pl, [x, y], w, hgt) {
	const [px, py] = pl.p(x, y);
	const [pw, ph] = pl.portrait ? [hgt, w] : [w, hgt];
	return { x: px - pw / 2, y: py - ph / 2, width: pw, height: ph, rx: 3 };
}

function buildBattery(svg, pl, L, pick) {
	const { rows } = L;
	const el = element(svg, { key: 'battery', name: t('syn.el.battery'), pick: () => pick('battery') });
	wire(el.g, pl.path([[X.dc, rows.main + 24], [X.dc, rows.bat - 20]]), 'syn-bat-wire');
	el.breaker = breaker(el.g, pl.p(X.dc, (rows.main + rows.bat) / 2 - 4), !pl.portrait);
	el.symbol = batterySymbol(el.g, pl.p(X.dc, rows.bat));
	alarmBadge(el.symbol.g, [34, -22]);
	const [bx, by] = pl.p(X.dc, rows.bat);
	if (pl.portrait) {
		label(el.g, [bx, by + 42], t('syn.name.battery'));
		el.value = valueText(el.g, [bx, by + 76], { cls: 'syn-value syn-big' });
	} else {
		label(el.g, [bx, by + 42], t('syn.name.battery'));
		el.value = valueText(el.g, [bx + 46, by + 7], { anchor: 'start', cls: 'syn-value syn-big' });
	}
	return el;
}

function buildBypass(svg, pl, L, pick) {
	const { rows } = L, half = L.block / 2;
	const els = {};
	els.bypIn = element(svg, { key: 'bypass-input', name: t('syn.el.byp_in'), pick: () => pick('bypass'), focus: false });
	wire(els.bypIn.g, pl.path([[X.tap + 5, rows.byp], [X.sw - half, rows.byp]]));
	els.bypass = element(svg, { key: 'bypass', name: t('syn.el.bypass'), pick: () => pick('bypass') });
	const g = block(els.bypass.g, pl.p(X.sw, rows.byp), L.block);
	// Static switch: two thyristors head to tail.
	g.appendChild(s('path', { class: 'syn-glyph', d: 'M-18 -14 L-2 -6 L-18 2 Z M18 -2 L2 6 L18 14 Z M-2 -14 V2 M2 -2 V14 M-26 -6 H26 M-26 6 H26' }));
	alarmBadge(g, [half - 2, -half + 2]);
	labelled(els.bypass.g, pl, [X.sw, rows.byp], half, t('syn.name.bypass'));
	els.bypOut = element(svg, { key: 'bypass-output', name: t('syn.el.byp_out'), pick: () => pick('bypass'), focus: false });
	wire(els.bypOut.g, pl.path([[X.sw + half, rows.byp], [X.join, rows.byp], [X.join, rows.main - 6]]));
	return els;
}

function buildMaintenance(svg, pl, L, pick) {
	const { rows } = L;
	const el = element(svg, { key: 'maintenance-bypass', name: t('syn.el.maint'), pick: () => pick('output') });
	wire(el.g, pl.path([[X.tap, rows.byp - 6], [X.tap, rows.maint], [X.drop, rows.maint], [X.drop, rows.main - 4]]));
	el.breaker = breaker(el.g, pl.p(X.sw, rows.maint), pl.portrait);
	el.g.appendChild(s('rect', { class: 'syn-hit', ...rectAt(pl, [X.sw, rows.maint], 60, 40) }));
	const [mx, my] = pl.p(X.sw, rows.maint);
	if (pl.portrait) {
		// Along the wire: the column is too narrow for horizontal text.
		const g = label(el.g, [mx + 30, my], t('syn.name.maint'), { word: false });
		g.setAttribute('transform', `rotate(-90 ${mx + 30} ${my})`);
	} else {
		label(el.g, [mx, my - 18], t('syn.name.maint'), { word: false });
		el.g.appendChild(s('text', { class: 'syn-word', x: mx, y: my + 34, 'text-anchor': 'middle', 'aria-hidden': 'true' }));
	}
	return el;
}

function buildOutput(svg, pl, L, pick) {
	const { rows } = L, half = L.load / 2;
	const els = {};
	els.output = element(svg, { key: 'output', name: t('syn.el.output'), pick: () => pick('output'), focus: false });
	wire(els.output.g, pl.path([[X.join + 6, rows.main], [X.load - half, rows.main]]));
	dot(els.output.g, pl.p(X.join, rows.main), 7);
	dot(els.output.g, pl.p(X.drop, rows.main), 5);
	const mid = (X.join + X.load - half) / 2;
	const [ox, oy] = pl.p(mid, rows.main);
	label(els.output.g, pl.portrait ? [ox + 14, oy - 4] : [ox, oy + 26], t('syn.name.output'), { anchor: pl.portrait ? 'start' : 'middle' });

	els.load = element(svg, { key: 'load', name: t('syn.el.load'), pick: () => pick('output') });
	const g = block(els.load.g, pl.p(X.load, rows.main), L.load);
	els.load.gauge = loadGauge(g, [0, -6], L.load - 24);
	alarmBadge(g, [half - 2, -half + 2]);
	labelled(els.load.g, pl, [X.load, rows.main], half, t('syn.name.load'));
	return els;
}

// Elements 16 to 19: shown only while active.
function buildIndicators(svg, pl, L, pick, goAlarms) {
	const spots = pl.portrait
		? [[30, 995], [270, 995], [30, 1035], [270, 1035]]
		: [[822, 36], [822, 76], [822, 116], [822, 156]];
	return {
		bypImpossible: indicatorItem(svg, spots[0], { key: 'bypass-impossible', name: t('syn.el.byp_impossible'), glyph: { d: 'M-7 -7 L7 7 M0 -9 A9 9 0 1 0 0.01 -9' }, pick: () => pick('bypass') }),
		maintAlarm: indicatorItem(svg, spots[1], { key: 'maintenance-alarm', name: t('syn.el.maint_alarm'), glyph: { d: 'M-7 7 L1 -1 M4 -9 A5 5 0 1 0 9 -4 L5 -4 L4 -5 Z' }, pick: () => pick('ups') }),
		alarm: indicatorItem(svg, spots[2], { key: 'alarm-present', name: t('syn.el.alarm'), glyph: { text: '!' }, pick: goAlarms }),
		genset: indicatorItem(svg, spots[3], { key: 'genset', name: t('syn.el.genset'), glyph: { text: 'G' }, pick: () => pick('rectifier') }),
	};
}

/* ---------- the states, element by element (§12.1.1) ---------- */

function supplyText(level, prefix) {
	const v = measure(level, `${prefix}.voltage.l1`), hz = measure(level, `${prefix}.frequency`);
	if (v === null)
		return '';
	return hz === null ? `${fmtNum(v, 0)} V` : `${fmtNum(v, 0)} V · ${fmtNum(hz, 1)} Hz`;
}

function batteryMode(r) {
	const { f } = r;
	if (f.has('battery_disconnected'))
		return 'open';
	if (f.has('battery_discharged'))
		return 'discharged';
	if (r.onBattery)
		return 'discharging';
	return f.has('battery_charging') ? 'charging' : 'charged';
}

function batteryState(f) {
	if (f.has('battery_alarm') || f.has('battery_discharged'))
		return ALARM;
	if (f.has('battery_room_alarm') || f.has('battery_temp_alarm') || f.has('battery_test_failed') || f.has('battery_low'))
		return WARN;
	return OFF;
}

function updateSources(els, r, level) {
	els.rectSupply.set(supplyState(r.f.has('rectifier_input_ok'), r.rectOn));
	els.rectSupply.value.textContent = supplyText(level, 'input');
	els.bypSupply.set(supplyState(r.f.has('bypass_input_ok'), r.bypassFeeds || r.maint));
	els.bypSupply.value.textContent = supplyText(level, 'bypass');
}

function updateMainPath(els, r, level) {
	const rect = level.state?.rectifier, inv = level.state?.inverter;
	els.rectifier.set(converterState(rect));
	els.rectOut.set({ state: r.rectOn ? OK : OFF, word: t(r.rectOn ? 'syn.rect_on' : 'syn.rect_off'), flow: r.rectOn ? 'fwd' : null });
	// The DC bus is fed by the battery when the rectifier is off: yellow, like the inverter input.
	els.dcBus.set({ state: r.rectOn ? OK : (r.onBattery ? WARN : OFF), word: t(r.rectOn ? 'syn.rect_on' : (r.onBattery ? 'syn.on_battery' : 'syn.rect_off')) });
	els.invIn.set({
		state: r.onBattery ? WARN : (r.rectOn ? OK : OFF),
		word: t(r.onBattery ? 'syn.on_battery' : (r.rectOn ? 'syn.rect_on' : 'syn.rect_off')),
		flow: inverterOutState(r).flow,
	});
	els.inverter.set(converterState(inv));
	els.invOut.set(inverterOutState(r));
}

function updateBattery(el, r, level, status) {
	const present = status.identity?.battery_present !== false;
	const mode = batteryMode(r);
	const charge = measure(level, 'battery.charge');
	const runtime = measure(level, 'battery.runtime');
	const flow = { charging: 'fwd', discharging: 'rev' }[mode] || null;
	el.set({ state: batteryState(r.f), word: tx(level.state?.battery_status), flow, hidden: !present });
	el.g.dataset.mode = mode;
	el.breaker.set(mode !== 'open');
	el.symbol.set(mode, charge);
	// §12.1.1: the capacity while charging or charged, the remaining time while discharging.
	el.value.textContent = mode === 'discharging' ? minutesText(runtime) : (mode === 'open' ? '—' : percentText(charge));
}

function updateBypass(els, r, level) {
	els.bypIn.set(bypassInState(r));
	els.bypass.set(bypassState(level, r));
	els.bypOut.set(bypassOutState(r));
}

function updateIndicators(els, r, status, levelIndex, level) {
	const locked = indicator(status, r.codes, 'transfer_locked');
	const impossible = indicator(status, r.codes, 'transfer_impossible');
	els.bypImpossible.set({
		state: locked ? ALARM : WARN, hidden: !locked && !impossible,
		word: t(locked ? 'syn.byp_locked' : 'syn.byp_impossible'),
	});
	const maintAlarm = indicator(status, r.codes, 'maintenance_alarm');
	els.maintAlarm.set({ state: WARN, hidden: !maintAlarm, word: t('syn.maint_alarm') });
	const count = alarmCount(status, levelIndex);
	const worst = levelIndex === 0 && status.alarm_counts?.critical ? 'critical' : level.state?.worst_alarm;
	els.alarm.set({ state: severityState(worst), hidden: !count, word: t('syn.alarms', { n: count }) });
	els.genset.set({ state: OFF, hidden: !r.f.has('genset_on'), word: t('syn.genset_on') });
}

// The state line (#synoptic-state): the load's supply in words, then its figures.
export function unitStateLine(status, levelIndex, ok) {
	const level = status?.levels?.[levelIndex];
	if (!ok || !level || level.valid === false)
		return { state: OFF, parts: [t('syn.no_comm')] };
	const r = readUps(level);
	const charge = measure(level, 'battery.charge');
	const parts = r.f.has('imminent_stop') ? [t('syn.imminent_stop')] : [];
	parts.push(...supplyLine(level, r));
	if (!r.onBattery && !r.maint && !r.loadOff) {
		parts.push(t('syn.load_is', { v: percentText(r.load) }));
		if (status.identity?.battery_present !== false && charge !== null)
			parts.push(t(r.f.has('battery_charging') ? 'syn.battery_charging' : 'syn.battery_is', { v: percentText(charge) }));
	}
	if (r.overload)
		parts.push(t('syn.overload_short'));
	const count = alarmCount(status, levelIndex);
	if (count)
		parts.push(t('syn.alarms', { n: count }));
	const critical = r.overload || r.f.has('imminent_stop') || level.state?.worst_alarm === 'critical';
	return { state: lineState(r, critical), parts };
}

// Draws the unit synoptic into host; update(status, levelIndex, ok) recolours it.
export function drawUnit(host, { portrait, pick, goAlarms, label: aria }) {
	const L = LAYOUT[portrait ? 'portrait' : 'landscape'];
	const pl = plane(portrait);
	const svg = svgRoot(L.w, L.h, aria, portrait ? 'syn-portrait' : 'syn-landscape');
	// Creation order is the keyboard's order: the wires meet edge to edge,
	// so no element has to be drawn under another.
	const els = {
		...buildSources(svg, pl, L, pick),
		...buildMainPath(svg, pl, L, pick),
		battery: buildBattery(svg, pl, L, pick),
		...buildBypass(svg, pl, L, pick),
		maint: buildMaintenance(svg, pl, L, pick),
		...buildOutput(svg, pl, L, pick),
		...buildIndicators(svg, pl, L, pick, goAlarms),
	};
	host.appendChild(svg);

	return {
		svg,
		update(status, levelIndex, ok) {
			const level = status?.levels?.[levelIndex];
			if (!ok || !level || level.valid === false) {
				svg.dataset.load = 'unknown';
				greyAll(svg);
				return;
			}
			const r = readUps(level);
			svg.dataset.load = loadWord(level);
			updateSources(els, r, level);
			updateMainPath(els, r, level);
			updateBattery(els.battery, r, level, status);
			updateBypass(els, r, level);
			els.maint.set({ state: r.maint ? WARN : OFF, word: t(r.maint ? 'syn.closed' : 'syn.open'), flow: r.maint ? 'fwd' : null });
			els.maint.breaker.set(r.maint);
			els.output.set(outputState(r));
			updateLoad(els.load, r);
			updateIndicators(els, r, status, levelIndex, level);
			const shown = packIndicators([els.bypImpossible, els.maintAlarm, els.alarm, els.genset]);
			if (L.short)
				svg.setAttribute('viewBox', `0 0 ${L.w} ${shown > 2 ? L.h : (shown ? L.h - 40 : L.short)}`);
		},
	};
}
