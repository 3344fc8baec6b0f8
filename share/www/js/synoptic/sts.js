// The STS synoptic (§13.1): two sources, each through its input path and
// static switch (SS1, SS2) to the common output and the load, the two
// maintenance bypasses, and the indicators. Element 16 (IoT status) has
// nothing in the live model to drive it and is not represented.
import { s } from '../dom.js';
import { t, fmtNum } from '../i18n.js';
import {
	OFF, OK, WARN, ALARM, flagsOf, codesOf, measure, indicator, loadWord, loadState, severityState,
	alarmCount, percentText, plane, svgRoot, element, wire, dot, block, alarmBadge, source, breaker,
	label, valueText, loadGauge, indicatorItem, packIndicators, greyAll,
} from './common.js';

const X = { src: 90, tap: 170, sw: 430, join: 640, drop1: 795, drop2: 820, load: 905 };
const LAYOUT = {
	landscape: { w: 1040, h: 486, top: 0, block: 84, load: 104, rows: { m1: 34, p1: 110, out: 210, p2: 310, m2: 386 } },
	portrait: { w: 430, h: 1110, short: 990, top: -44, block: 76, load: 96, rows: { m1: 30, p1: 110, out: 215, p2: 320, m2: 400 } },
};
const STAR = 'M0 -9 L2.6 -3 L9 -2.8 L4 1.4 L5.6 7.8 L0 4.2 L-5.6 7.8 L-4 1.4 L-9 -2.8 L-2.6 -3 Z';

// A label beside a point: lx/ly offsets in landscape, px/py in portrait.
function place(pl, [x, y], land, port) {
	const [px, py] = pl.p(x, y);
	const o = pl.portrait ? port : land;
	return { pos: [px + o.dx, py + o.dy], anchor: o.anchor };
}

function buildPath(svg, pl, L, n, pick) {
	const row = n === 1 ? L.rows.p1 : L.rows.p2;
	const mrow = n === 1 ? L.rows.m1 : L.rows.m2;
	const up = n === 1 ? -1 : 1;   // path 1 lies above the output row, path 2 below
	const half = L.block / 2;
	const els = {};
	els.input = element(svg, { key: `input-path-${n}`, name: t(`syn.sts.el.path${n}`), pick: () => pick(`path${n}`) });
	wire(els.input.g, pl.path([[X.src + 24, row], [X.sw - half, row]]));
	source(els.input.g, pl.p(X.src, row));
	dot(els.input.g, pl.p(X.tap, row), 5);
	const sl = place(pl, [X.src, row],
		{ dx: 0, dy: n === 1 ? -60 : 44, anchor: 'middle' },
		{ dx: 0, dy: -86, anchor: 'middle' });
	label(els.input.g, sl.pos, t(`syn.sts.name.source${n}`), { anchor: sl.anchor });
	els.input.value = valueText(els.input.g, [sl.pos[0], sl.pos[1] + 34], { anchor: sl.anchor });

	els.preferred = element(svg, { key: `source-${n}-preferred`, name: t(`syn.sts.el.preferred${n}`), pick: () => pick('sts'), focus: false });
	const [sx, sy] = pl.p(X.src, row);
	const starY = !pl.portrait && n === 1 ? sy + 20 : sy - 20;   // away from the labels
	els.preferred.g.appendChild(s('path', { class: 'syn-star', d: STAR, transform: `translate(${sx + 20} ${starY})` }));

	els.sw = element(svg, { key: `switch-${n}`, name: t(`syn.sts.el.switch${n}`), pick: () => pick(`path${n}`) });
	const g = block(els.sw.g, pl.p(X.sw, row), L.block);
	g.appendChild(s('path', { class: 'syn-glyph', d: 'M-18 -14 L-2 -6 L-18 2 Z M18 -2 L2 6 L18 14 Z M-2 -14 V2 M2 -2 V14 M-26 -6 H26 M-26 6 H26' }));
	alarmBadge(g, [half - 2, -half + 2]);
	const wl = place(pl, [X.sw, row],
		{ dx: 0, dy: n === 1 ? half + 20 : -half - 30, anchor: 'middle' },
		{ dx: n === 1 ? half + 10 : -half - 10, dy: n === 1 ? -24 : 20, anchor: n === 1 ? 'start' : 'end' });
	label(els.sw.g, wl.pos, t(`syn.sts.name.switch${n}`), { anchor: wl.anchor });

	els.out = element(svg, { key: `output-sw-${n}`, name: t(`syn.sts.el.out${n}`), pick: () => pick(`path${n}`), focus: false });
	wire(els.out.g, pl.path([[X.sw + half, row], [X.join, row], [X.join, L.rows.out + up * 6]]));

	els.maint = element(svg, { key: `maintenance-bypass-${n}`, name: t(`syn.sts.el.maint${n}`), pick: () => pick('sts') });
	const drop = n === 1 ? X.drop1 : X.drop2;
	wire(els.maint.g, pl.path([[X.tap, row + up * 6], [X.tap, mrow], [drop, mrow], [drop, L.rows.out - up * 4]]));
	const [mx, my] = pl.p(X.sw, mrow);
	els.maint.breaker = breaker(els.maint.g, [mx, my], pl.portrait);
	els.maint.g.appendChild(s('rect', { class: 'syn-hit', x: mx - 30, y: my - 20, width: 60, height: 40 }));
	if (pl.portrait) {
		// Along the wire: the column is too narrow for horizontal text.
		const lx = mx + (n === 1 ? 28 : -20);
		const text = label(els.maint.g, [lx, my], t(`syn.sts.name.maint${n}`), { word: false });
		text.setAttribute('transform', `rotate(-90 ${lx} ${my})`);
	} else {
		// One line beside the switch, off the wire: the name before it, the state after it.
		const ly = my + (n === 1 ? -12 : 24);
		label(els.maint.g, [mx - 26, ly], t(`syn.sts.name.maint${n}`), { anchor: 'end', word: false });
		els.maint.g.appendChild(s('text', { class: 'syn-word', x: mx + 26, y: ly, 'aria-hidden': 'true' }));
	}
	return els;
}

function buildOutput(svg, pl, L, pick) {
	const half = L.load / 2;
	const els = {};
	els.output = element(svg, { key: 'output', name: t('syn.el.output'), pick: () => pick('output'), focus: false });
	wire(els.output.g, pl.path([[X.join, L.rows.out], [X.load - half, L.rows.out]]));
	dot(els.output.g, pl.p(X.join, L.rows.out), 7);
	dot(els.output.g, pl.p(X.drop1, L.rows.out), 5);
	dot(els.output.g, pl.p(X.drop2, L.rows.out), 5);
	const ol = place(pl, [X.join, L.rows.out], { dx: 12, dy: 26, anchor: 'start' }, { dx: 14, dy: 40, anchor: 'start' });
	label(els.output.g, ol.pos, t('syn.name.output'), { anchor: ol.anchor });
	els.load = element(svg, { key: 'load', name: t('syn.el.load'), pick: () => pick('output') });
	const g = block(els.load.g, pl.p(X.load, L.rows.out), L.load);
	els.load.gauge = loadGauge(g, [0, -6], L.load - 24);
	alarmBadge(g, [half - 2, -half + 2]);
	const ll = place(pl, [X.load, L.rows.out], { dx: 0, dy: half + 20, anchor: 'middle' }, { dx: half + 12, dy: -4, anchor: 'start' });
	label(els.load.g, ll.pos, t('syn.name.load'), { anchor: ll.anchor });
	return els;
}

function buildIndicators(svg, pl, pick, goAlarms) {
	const spots = pl.portrait
		? [[24, 1000], [224, 1000], [24, 1040], [224, 1040], [24, 1080]]
		: [[846, 318], [846, 354], [846, 390], [846, 426], [846, 462]];
	const item = (i, key, glyph, pickFn) => indicatorItem(svg, spots[i], { key, name: t(`syn.sts.el.${key.replace(/-/g, '_')}`), glyph, pick: pickFn });
	return {
		notSync: item(0, 'not-synchronised', { text: '≠' }, () => pick('sts')),
		sliding: item(1, 'sliding', { d: 'M-8 3 Q-4 -6 0 0 T8 -3' }, () => pick('sts')),
		transfer: item(2, 'bypass-impossible', { d: 'M-7 -7 L7 7 M0 -9 A9 9 0 1 0 0.01 -9' }, () => pick('sts')),
		maintAlarm: item(3, 'maintenance-alarm', { d: 'M-7 7 L1 -1 M4 -9 A5 5 0 1 0 9 -4 L5 -4 L4 -5 Z' }, () => pick('sts')),
		alarm: item(4, 'alarm-present', { text: '!' }, goAlarms),
	};
}

/* ---------- states (§13.1) ---------- */

const SOURCE_STATE = { OK: OK, 'Out of tolerance': WARN, Critical: ALARM, Absent: OFF };
const SOURCE_WORD = { OK: 'syn.present', 'Out of tolerance': 'syn.sts.out_of_tolerance', Critical: 'syn.critical_alarm', Absent: 'syn.absent' };

function readSts(level) {
	const f = flagsOf(level);
	const preferred = level.sts?.preferred ?? (f.has('sts_s1_preferred') ? 1 : 2);
	const out = level.state?.output_source;
	const on = out === 'On source 1' ? 1 : (out === 'On source 2' ? 2 : 0);
	return { f, codes: codesOf(level), preferred, on, maint1: f.has('sts_maint_bypass1'), maint2: f.has('sts_maint_bypass2'), load: measure(level, 'output.load') };
}

function sourceText(level, n) {
	const v = measure(level, `sts.source${n}.voltage.l1`), hz = measure(level, `sts.source${n}.frequency`);
	if (v === null)
		return '';
	return hz === null ? `${fmtNum(v, 0)} V` : `${fmtNum(v, 0)} V · ${fmtNum(hz, 1)} Hz`;
}

function updatePath(els, r, level, status, n) {
	const src = level.sts?.[`source${n}`];
	const feeding = r.on === n;
	const alternate = feeding && r.preferred !== n;
	let state = SOURCE_STATE[src] ?? OFF;
	if (state === OK && alternate)
		state = WARN;
	els.input.set({ state, word: t(alternate ? 'syn.sts.on_alternate' : (SOURCE_WORD[src] || 'syn.unknown')), flow: feeding ? 'fwd' : null });
	els.input.value.textContent = sourceText(level, n);
	els.preferred.set({ state: OK, word: t('syn.sts.preferred'), hidden: r.preferred !== n });
	const fault = indicator(status, r.codes, `switch${n}_fault`);
	const alarm = indicator(status, r.codes, `switch${n}_alarm`);
	let swState = feeding ? (alternate ? WARN : OK) : OFF;
	let swWord = t(feeding ? 'syn.sts.conducting' : 'syn.open');
	if (fault || alarm) {
		swState = fault ? ALARM : WARN;
		swWord = t(fault ? 'syn.critical_alarm' : 'syn.alarm_short');
	}
	els.sw.set({ state: swState, word: swWord });
	els.out.set({
		state: feeding ? (alternate ? WARN : OK) : OFF,
		word: t(feeding ? (alternate ? 'syn.sts.on_alternate' : 'syn.sts.on_preferred') : 'syn.open'),
		flow: feeding ? 'fwd' : null,
	});
	const closed = n === 1 ? r.maint1 : r.maint2;
	els.maint.set({ state: closed ? WARN : OFF, word: t(closed ? 'syn.sts.closed' : 'syn.open'), flow: closed ? 'fwd' : null });
	els.maint.breaker.set(closed);
}

function updateOutput(els, r, level) {
	const maint = r.maint1 || r.maint2;
	let state = OFF, word = t('syn.out.off');
	if (maint) {
		state = WARN;
		word = t('syn.out.maint');
	} else if (r.on) {
		state = r.on === r.preferred ? OK : WARN;
		word = t(r.on === r.preferred ? 'syn.sts.on_preferred' : 'syn.sts.on_alternate');
	}
	els.output.set({ state, word, flow: state === OFF ? null : 'fwd' });
	const overload = r.f.has('overload') || level.state?.load_status === 'Overload';
	els.load.set({
		state: overload ? ALARM : loadState(r.load),
		word: overload ? t('syn.overload', { v: percentText(r.load) }) : percentText(r.load),
	});
	els.load.gauge.set(r.load);
}

function updateIndicators(els, r, status, level) {
	const show = (el, name, word) => el.set({ state: WARN, hidden: !indicator(status, r.codes, name), word: t(word) });
	show(els.notSync, 'not_synchronised', 'syn.sts.not_sync');
	show(els.sliding, 'sliding', 'syn.sts.sliding');
	show(els.transfer, 'transfer_impossible', 'syn.byp_impossible');
	show(els.maintAlarm, 'maintenance_alarm', 'syn.maint_alarm');
	const count = alarmCount(status, 0);
	const worst = status.alarm_counts?.critical ? 'critical' : level.state?.worst_alarm;
	els.alarm.set({ state: severityState(worst), hidden: !count, word: t('syn.alarms', { n: count }) });
}

export function stsStateLine(status, ok) {
	const level = status?.levels?.[0];
	if (!ok || !level || level.valid === false)
		return { state: OFF, parts: [t('syn.no_comm')] };
	const r = readSts(level);
	const parts = [];
	let state = OK;
	if (r.maint1 || r.maint2) {
		parts.push(t(r.maint1 ? 'syn.sts.sl.maint1' : 'syn.sts.sl.maint2'));
		state = WARN;
	} else if (r.on) {
		const preferred = r.on === r.preferred;
		parts.push(t(preferred ? 'syn.sts.sl.preferred' : 'syn.sts.sl.alternate', { n: r.on }));
		state = preferred ? OK : WARN;
	} else {
		parts.push(t('syn.sl.off'));
		state = OFF;
	}
	if (state !== OFF)
		parts.push(t('syn.load_is', { v: percentText(r.load) }));
	if (r.f.has('overload')) {
		parts.push(t('syn.overload_short'));
		state = ALARM;
	}
	const count = alarmCount(status, 0);
	if (count)
		parts.push(t('syn.alarms', { n: count }));
	if (status.alarm_counts?.critical)
		state = ALARM;
	return { state, parts };
}

export function drawSts(host, { portrait, pick, goAlarms, label: aria }) {
	const L = LAYOUT[portrait ? 'portrait' : 'landscape'];
	const pl = plane(portrait);
	const svg = svgRoot(L.w, L.h, aria, portrait ? 'syn-portrait' : 'syn-landscape', L.top);
	const els = {
		p1: buildPath(svg, pl, L, 1, pick),
		p2: buildPath(svg, pl, L, 2, pick),
		...buildOutput(svg, pl, L, pick),
		...buildIndicators(svg, pl, pick, goAlarms),
	};
	host.appendChild(svg);
	return {
		svg,
		update(status, ok) {
			const level = status?.levels?.[0];
			if (!ok || !level || level.valid === false) {
				svg.dataset.load = 'unknown';
				greyAll(svg);
				return;
			}
			const r = readSts(level);
			// On a maintenance bypass the load is on that bypass's source.
			svg.dataset.load = r.maint1 ? 'source1' : (r.maint2 ? 'source2' : (loadWord(level) === 'unknown' ? 'off' : loadWord(level)));
			updatePath(els.p1, r, level, status, 1);
			updatePath(els.p2, r, level, status, 2);
			updateOutput(els, r, level);
			updateIndicators(els, r, status, level);
			const shown = packIndicators([els.notSync, els.sliding, els.transfer, els.maintAlarm, els.alarm]);
			if (L.short) {
				const rows = Math.ceil(shown / 2);
				svg.setAttribute('viewBox', `0 ${L.top} ${L.w} ${(rows ? L.short + 20 + rows * 40 : L.short) - L.top}`);
			}
		},
	};
}
