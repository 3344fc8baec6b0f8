// The system synoptic (§12.2.1): the units of a parallel system between the
// common input supplies and the common output. Each unit is a compact block
// (its state, load and battery) linking to its unit synoptic; the bypass is
// drawn per unit (distributed) or once for the system (centralised), as
// topology.bypass says. Elements: 1, 7, 8, 9, 11, 12, 14, 15 of the manual.
import { s } from '../dom.js';
import { t, tx } from '../i18n.js';
import {
	OFF, OK, WARN, ALARM, measure, loadWord, percentText, minutesText,
	readUps, bypassState, supplyState, inverterOutState, bypassInState, bypassOutState, outputState, updateLoad, supplyLine, lineState,
	svgRoot, element, wire, dot, block, alarmBadge, source, breaker, label, valueText, fitText, loadGauge, greyAll,
} from './common.js';

// x positions and sizes; narrow puts the load under the output bus.
const LAYOUT = {
	wide: { w: 1000, src: 70, bypBus: 150, rectBus: 196, unitX: 280, unitW: 340, outBus: 720, drop: 815, load: 910, loadSize: 104, rowH: 100, top: 160, srcLabel: [70, 'middle'], maintX: 450 },
	narrow: { w: 440, src: 34, bypBus: 70, rectBus: 100, unitX: 120, unitW: 250, outBus: 390, drop: 424, load: 390, loadSize: 96, rowH: 104, top: 160, srcLabel: [4, 'start'], maintX: 160 },
};
const HOP = 7;   // a wire crossing another without connection jumps over it

function unitsOf(status) {
	return (status?.tree?.children || []).filter(c => c.kind === 'unit');
}

// A horizontal wire from x1 to x2 at y that hops over the vertical bus at hopX.
function hopPath(x1, x2, y, hopX) {
	return `M${x1} ${y} H${hopX - HOP} A${HOP} ${HOP} 0 0 1 ${hopX + HOP} ${y} H${x2}`;
}

function unitBlock(svg, L, u, y) {
	const el = element(svg, { key: `unit-${u.unit}`, name: t('syn.unit_n', { n: u.unit }), href: `#/synoptic/unit/${u.level}` });
	el.g.classList.add('syn-unit');
	const top = y - 38;
	el.g.append(
		s('rect', { class: 'syn-box', x: L.unitX, y: top, width: L.unitW, height: 76, rx: 10 }),
		s('text', { class: 'syn-name', x: L.unitX + 16, y: top + 24 }, t('syn.unit_n', { n: u.unit })),
		s('text', { class: 'syn-word', x: L.unitX + 16, y: top + 45, 'aria-hidden': 'true' }),
		s('path', { class: 'syn-glyph syn-chevron', d: `M${L.unitX + L.unitW - 22} ${y - 7} l7 7 l-7 7` }));
	el.figures = valueText(el.g, [L.unitX + 16, top + 65], { anchor: 'start' });
	el.textWidth = L.unitW - 50;   // up to the chevron
	alarmBadge(el.g, [L.unitX + L.unitW - 4, top + 4]);
	return el;
}

function unitWires(svg, L, u, y, distributed) {
	const els = {};
	els.rectIn = element(svg, { key: `unit-${u.unit}-rectifier-input`, name: `${t('syn.unit_n', { n: u.unit })} · ${t('syn.el.rect_supply')}`, focus: false });
	wire(els.rectIn.g, `M${L.rectBus} ${y - 14} H${L.unitX}`);
	dot(els.rectIn.g, [L.rectBus, y - 14], 4);
	els.invOut = element(svg, { key: `unit-${u.unit}-inverter-output`, name: `${t('syn.unit_n', { n: u.unit })} · ${t('syn.el.inv_out')}`, focus: false });
	wire(els.invOut.g, `M${L.unitX + L.unitW} ${y - 14} H${L.outBus}`);
	dot(els.invOut.g, [L.outBus, y - 14], 4);
	if (distributed) {
		els.bypIn = element(svg, { key: `unit-${u.unit}-bypass-input`, name: `${t('syn.unit_n', { n: u.unit })} · ${t('syn.el.byp_in')}`, focus: false });
		wire(els.bypIn.g, hopPath(L.bypBus, L.unitX, y + 14, L.rectBus));
		dot(els.bypIn.g, [L.bypBus, y + 14], 4);
		els.bypOut = element(svg, { key: `unit-${u.unit}-bypass-output`, name: `${t('syn.unit_n', { n: u.unit })} · ${t('syn.el.byp_out')}`, focus: false });
		wire(els.bypOut.g, `M${L.unitX + L.unitW} ${y + 14} H${L.outBus}`);
		dot(els.bypOut.g, [L.outBus, y + 14], 4);
	}
	return els;
}

function geometry(L, n, narrow) {
	const rowY = i => L.top + 30 + i * L.rowH;
	const last = rowY(n - 1);
	const busTop = 90, busBottom = last + 14;
	const rectSrcY = last + 90;
	const outY = narrow ? busBottom : (busTop + busBottom) / 2;
	const loadY = narrow ? rectSrcY + 70 : outY;
	const h = narrow ? loadY + L.loadSize / 2 + 60 : Math.max(rectSrcY + 80, outY + 130);
	return { rowY, busTop, busBottom, rectSrcY, outY, loadY, h };
}

function buildSupplies(svg, L, G, pick) {
	const els = {};
	els.bypSupply = element(svg, { key: 'bypass-input-supply', name: t('syn.el.byp_supply'), pick: () => pick('ups') });
	wire(els.bypSupply.g, `M${L.src + 24} 90 H${L.bypBus}`);
	source(els.bypSupply.g, [L.src, 90]);
	const [lx, anchor] = L.srcLabel;
	label(els.bypSupply.g, [lx, 136], t('syn.name.byp_supply'), { anchor });
	els.rectSupply = element(svg, { key: 'rectifier-input-supply', name: t('syn.el.rect_supply'), pick: () => pick('ups') });
	wire(els.rectSupply.g, `M${L.src + 24} ${G.rectSrcY} H${L.rectBus} V${G.rowY(0) - 14}`);
	source(els.rectSupply.g, [L.src, G.rectSrcY]);
	label(els.rectSupply.g, [lx, G.rectSrcY + 46], t('syn.name.rect_supply'), { anchor });
	return els;
}

// The bypass bus feeds every unit (distributed) or the system's static switch.
function buildBypass(svg, L, G, pick, distributed) {
	const els = {};
	els.bypIn = element(svg, { key: 'bypass-input', name: t('syn.el.byp_in'), pick: () => pick('ups'), focus: false });
	if (distributed) {
		wire(els.bypIn.g, `M${L.bypBus} 90 V${G.busBottom}`);
		return els;
	}
	const sw = (L.unitX + L.unitX + L.unitW) / 2;
	wire(els.bypIn.g, `M${L.bypBus} 90 H${sw - 38}`);
	els.bypass = element(svg, { key: 'bypass', name: t('syn.el.bypass'), pick: () => pick('ups') });
	const g = block(els.bypass.g, [sw, 90], 76);
	g.appendChild(s('path', { class: 'syn-glyph', d: 'M-18 -14 L-2 -6 L-18 2 Z M18 -2 L2 6 L18 14 Z M-2 -14 V2 M2 -2 V14 M-26 -6 H26 M-26 6 H26' }));
	alarmBadge(g, [36, -36]);
	label(els.bypass.g, [sw + 50, 86], t('syn.name.bypass'), { anchor: 'start' });
	els.bypOut = element(svg, { key: 'bypass-output', name: t('syn.el.byp_out'), pick: () => pick('ups'), focus: false });
	wire(els.bypOut.g, `M${sw + 38} 90 H${L.outBus}`);
	return els;
}

function buildOutput(svg, L, G, pick, narrow) {
	const els = {};
	els.maint = element(svg, { key: 'maintenance-bypass', name: t('syn.el.maint'), pick: () => pick('output') });
	const tapX = L.src + 24 + (L.bypBus - L.src - 24) / 2;
	const joinY = narrow ? (G.outY + G.loadY - L.loadSize / 2) / 2 : G.outY;
	wire(els.maint.g, narrow
		? `M${tapX} 84 V30 H${L.drop} V${joinY} H${L.outBus + 4}`
		: `M${tapX} 84 V30 H${L.drop} V${G.outY - 4}`);
	dot(els.maint.g, [tapX, 90], 4);
	const swX = L.maintX;
	els.maint.breaker = breaker(els.maint.g, [swX, 30], false);
	els.maint.g.appendChild(s('rect', { class: 'syn-hit', x: swX - 30, y: 12, width: 60, height: 36 }));
	label(els.maint.g, [swX + 26, 24], t('syn.name.maint'), { anchor: 'start', word: false });
	els.maint.g.appendChild(s('text', { class: 'syn-word', x: swX + 26, y: 50, 'aria-hidden': 'true' }));

	els.output = element(svg, { key: 'output', name: t('syn.el.output'), pick: () => pick('output'), focus: false });
	const busTop = G.busTopOut;
	wire(els.output.g, `M${L.outBus} ${busTop} V${G.busBottom}`);
	wire(els.output.g, narrow
		? `M${L.outBus} ${G.busBottom} V${G.loadY - L.loadSize / 2}`
		: `M${L.outBus} ${G.outY} H${L.load - L.loadSize / 2}`);
	const [lx, ly] = narrow ? [L.outBus - 12, G.busBottom + 46] : [(L.outBus + L.load - L.loadSize / 2) / 2, G.outY + 26];
	label(els.output.g, [lx, ly], t('syn.name.output'), { anchor: narrow ? 'end' : 'middle' });

	els.load = element(svg, { key: 'load', name: t('syn.el.load'), pick: () => pick('output') });
	const g = block(els.load.g, [L.load, G.loadY], L.loadSize);
	els.load.gauge = loadGauge(g, [0, -6], L.loadSize - 24);
	alarmBadge(g, [L.loadSize / 2 - 2, -L.loadSize / 2 + 2]);
	label(els.load.g, narrow ? [L.load - L.loadSize / 2 - 12, G.loadY - 4] : [L.load, G.loadY + L.loadSize / 2 + 20],
		t('syn.name.load'), { anchor: narrow ? 'end' : 'middle' });
	return els;
}

/* ---------- states ---------- */

function unitState(level, r) {
	if (!level || level.valid === false || r.loadOff)
		return OFF;
	if (level.state?.worst_alarm === 'critical')
		return ALARM;
	if (level.state?.worst_alarm === 'warning' || (r.out !== 'On inverter' && !r.eco))
		return WARN;
	return OK;
}

function unitFigures(level, r) {
	const load = measure(level, 'output.load');
	const charge = measure(level, 'battery.charge'), runtime = measure(level, 'battery.runtime');
	const battery = r.onBattery ? minutesText(runtime) : percentText(charge);
	return `${t('syn.load_is', { v: percentText(load) })} · ${t('syn.battery_is', { v: battery })}`;
}

function updateUnit(u, level) {
	const r = readUps(level);
	u.block.set({ state: unitState(level, r), word: tx(level?.state?.ups_status) });
	fitText(u.block.g.querySelector('.syn-word'), u.block.textWidth);
	u.block.figures.textContent = unitFigures(level, r);
	fitText(u.block.figures, u.block.textWidth);
	u.wires.rectIn.set(supplyState(r.f.has('rectifier_input_ok'), r.rectOn));
	u.wires.invOut.set(inverterOutState(r));
	if (u.wires.bypIn) {
		u.wires.bypIn.set(bypassInState(r));
		u.wires.bypOut.set(bypassOutState(r));
	}
}

function updateSystem(els, level) {
	const r = readUps(level);
	els.bypSupply.set(supplyState(r.f.has('bypass_input_ok'), r.bypassFeeds || r.maint));
	els.rectSupply.set(supplyState(r.f.has('rectifier_input_ok'), r.rectOn));
	// Distributed bypass: the units' own bypass lines carry the flow, not this input.
	els.bypIn.set({ ...bypassInState(r), flow: r.bypassFeeds && els.bypass ? 'fwd' : null });
	if (els.bypass) {
		els.bypass.set(bypassState(level, r));
		els.bypOut.set(bypassOutState(r));
	}
	els.maint.set({ state: r.maint ? WARN : OFF, word: t(r.maint ? 'syn.closed' : 'syn.open'), flow: r.maint ? 'fwd' : null });
	els.maint.breaker.set(r.maint);
	els.output.set(outputState(r));
	updateLoad(els.load, r);
}

// The state line of the system: the load's supply, then how many units run.
export function systemStateLine(status, ok) {
	const level = status?.levels?.[0];
	if (!ok || !level || level.valid === false)
		return { state: OFF, parts: [t('syn.no_comm')] };
	const r = readUps(level);
	const units = unitsOf(status);
	const running = units.filter(u => {
		const lv = status.levels[u.level];
		return lv?.valid !== false && readUps(lv).invOn;
	}).length;
	const parts = supplyLine(level, r);
	if (!r.onBattery && !r.loadOff && !r.maint)
		parts.push(t('syn.load_is', { v: percentText(r.load) }));
	parts.push(t('syn.units_on_inverter', { n: running, total: units.length }));
	const count = status.alarm_counts?.total || 0;
	if (count)
		parts.push(t('syn.alarms', { n: count }));
	return { state: lineState(r, r.f.has('overload') || status.alarm_counts?.critical), parts };
}

// Draws the system synoptic for the units the status has; update(status, ok).
export function drawSystem(host, { narrow, pick, status, label: aria }) {
	const L = LAYOUT[narrow ? 'narrow' : 'wide'];
	const units = unitsOf(status);
	const distributed = status?.topology?.bypass !== 'centralised';
	const G = geometry(L, Math.max(1, units.length), narrow);
	G.busTopOut = distributed ? G.rowY(0) - 14 : 90;
	const svg = svgRoot(L.w, G.h, aria, narrow ? 'syn-portrait' : 'syn-landscape');
	// Creation order is the keyboard's order: supplies, units, bypass, output.
	const els = { ...buildSupplies(svg, L, G, pick) };
	const rows = units.map((u, i) => ({
		level: u.level,
		wires: unitWires(svg, L, u, G.rowY(i), distributed),
		block: unitBlock(svg, L, u, G.rowY(i)),
	}));
	Object.assign(els, buildBypass(svg, L, G, pick, distributed), buildOutput(svg, L, G, pick, narrow));
	host.appendChild(svg);
	return {
		svg,
		units: units.map(u => u.level).join(','),
		update(st, ok) {
			const level = st?.levels?.[0];
			if (!ok || !level || level.valid === false) {
				svg.dataset.load = 'unknown';
				greyAll(svg);
				return;
			}
			svg.dataset.load = loadWord(level);
			updateSystem(els, level);
			for (const row of rows)
				updateUnit(row, st.levels[row.level]);
		},
	};
}
