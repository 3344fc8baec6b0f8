// Shared parts of the three synoptics (§12.1, §12.2, §13.1): the element
// model (a <g> with a <title>, a colour state and a state word), the SVG
// symbols, the readings of the live model they all need, and the frame of a
// synoptic page (drawing, state line, legend, parameters table below).
import { h, s, clear } from '../dom.js';
import { t, tx, fmtNum } from '../i18n.js';
import { live } from '../live.js';

// The manual's colour columns. "off" is the grey one.
export const OFF = 'off', OK = 'ok', WARN = 'warn', ALARM = 'alarm';

/* ---------- reading the live model ---------- */

// Live data: the device answers and the stream is not lost. While the
// stream is still connecting, the status just fetched is current.
export function liveOk() {
	return live.status?.comm === 'ok' && live.link() !== 'lost';
}

export function flagsOf(level) {
	return new Set(level?.flags || []);
}

// Codes of the level's active alarm and status bits ("A004", "S085"...).
export function codesOf(level) {
	return new Set([...(level?.alarms || []), ...(level?.status_bits || [])].map(b => b.code));
}

export function measure(level, key) {
	const v = level?.measurements?.[key];
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

// The model has no flag for these synoptic indicators: they are alarm or
// status bits of each map, named here by their acronyms (src/device/tab_*.c).
const INDICATOR_BITS = {
	'VU-MAP': {
		transfer_impossible: ['A004'],
		transfer_locked: ['A003', 'S085'],
		maintenance_alarm: ['A012', 'S015'],
	},
	JBUSP: {
		transfer_impossible: ['A46'],
		transfer_locked: ['A45'],
		maintenance_alarm: ['A44', 'S49'],
	},
	STS: {
		transfer_impossible: ['A006', 'A007', 'S026'],
		maintenance_alarm: ['A030', 'S046'],
		not_synchronised: ['S014'],
		sliding: ['S013'],
		switch1_alarm: ['A009', 'A010'],
		switch1_fault: ['A011'],
		switch2_alarm: ['A013', 'A014'],
		switch2_fault: ['A015'],
	},
};

export function indicator(status, codes, name) {
	const list = INDICATOR_BITS[status?.identity?.map]?.[name] || [];
	return list.some(code => codes.has(code));
}

// The contract's data-load words, from the derived output source.
const LOAD_WORDS = {
	'On inverter': 'inverter', 'On battery': 'battery', 'On bypass': 'bypass',
	'On eco mode': 'eco', 'On maintenance bypass': 'maintenance', 'Load OFF': 'off',
	'On source 1': 'source1', 'On source 2': 'source2',
};

export function loadWord(level) {
	return LOAD_WORDS[level?.state?.output_source] || 'unknown';
}

// §12.1.1 element 9: grey at 0 %, green up to 90 %, yellow above, red above 100 %.
export function loadState(percent) {
	if (percent === null || percent <= 0)
		return OFF;
	if (percent > 100)
		return ALARM;
	return percent > 90 ? WARN : OK;
}

export function severityState(worst) {
	if (worst === 'critical')
		return ALARM;
	return worst === 'warning' ? WARN : OK;
}

// Active alarms of one level (or of the whole device for the system level).
export function alarmCount(status, levelIndex) {
	const level = status?.levels?.[levelIndex];
	if (levelIndex === 0)
		return status?.alarm_counts?.total ?? level?.state?.alarm_count ?? 0;
	return level?.state?.alarm_count ?? 0;
}

export function percentText(v) {
	return v === null ? '—' : `${fmtNum(Math.round(v))} %`;
}

export function minutesText(v) {
	return v === null ? '—' : t('syn.minutes', { n: fmtNum(Math.round(v)) });
}

/* ---------- the states both UPS synoptics give (§12.1.1, §12.2.1) ---------- */

// What the flags and the output source of a UPS level say.
export function readUps(level) {
	const f = flagsOf(level);
	const out = level?.state?.output_source;
	return {
		f,
		codes: codesOf(level),
		out,
		rectOn: f.has('rectifier_on'),
		onBattery: out === 'On battery' || f.has('on_battery'),
		invOn: f.has('inverter_on') || f.has('load_on_inverter'),
		bypassFeeds: out === 'On bypass' || out === 'On eco mode',
		eco: out === 'On eco mode',
		maint: out === 'On maintenance bypass',
		loadOff: out === 'Load OFF' || out === 'Unknown' || !out,
		overload: f.has('overload') || level?.state?.load_status === 'Overload',
		load: measure(level, 'output.load'),
	};
}

const CONVERTER_STATE = { On: OK, Off: OFF, 'On + prev. alarm': WARN, 'Critical alarm': ALARM };
const CONVERTER_WORD = { On: 'syn.on', Off: 'syn.off', 'On + prev. alarm': 'syn.prev_alarm', 'Critical alarm': 'syn.critical_alarm' };

// The rectifier, inverter and bypass (elements 2, 6, 13) from their state
// word. The manual gives only yellow and red: on and healthy is green, like
// the wires it feeds; that the load is on bypass shows on the bypass wires.
export function converterState(value) {
	return { state: CONVERTER_STATE[value] || OFF, word: t(CONVERTER_WORD[value] || 'syn.unknown') };
}

// The bypass (element 13): in eco mode its word says so.
export function bypassState(level, r) {
	const byp = level?.state?.bypass;
	const state = converterState(byp);
	return r.eco && byp === 'On' ? { ...state, word: t('syn.eco') } : state;
}

// A mains supply: green when present; it flows while what it feeds runs.
export function supplyState(present, feeding) {
	return { state: present ? OK : OFF, word: t(present ? 'syn.present' : 'syn.absent'), flow: present && feeding ? 'fwd' : null };
}

// The inverter's output: yellow on battery; it flows while it feeds the load.
export function inverterOutState(r) {
	const feeds = r.invOn && (r.out === 'On inverter' || r.onBattery);
	return {
		state: !r.invOn ? OFF : (r.onBattery ? WARN : OK),
		word: t(!r.invOn ? 'syn.inv_off' : (r.onBattery ? 'syn.on_battery' : 'syn.inv_on')),
		flow: feeds ? 'fwd' : null,
	};
}

// The bypass input: yellow while it feeds the load unprotected.
export function bypassInState(r) {
	const present = r.f.has('bypass_input_ok');
	return {
		state: !present ? OFF : (r.bypassFeeds ? WARN : OK),
		word: t(!present ? 'syn.absent' : (r.bypassFeeds ? 'syn.bypass_on' : 'syn.present')),
		flow: r.bypassFeeds ? 'fwd' : null,
	};
}

// The bypass output: green in eco mode (the load is protected), else yellow.
export function bypassOutState(r) {
	return {
		state: !r.bypassFeeds ? OFF : (r.eco ? OK : WARN),
		word: t(!r.bypassFeeds ? 'syn.bypass_off' : (r.eco ? 'syn.eco' : 'syn.bypass_on')),
		flow: r.bypassFeeds ? 'fwd' : null,
	};
}

const OUTPUT_WORDS = {
	'On inverter': 'syn.out.inverter', 'On battery': 'syn.out.battery', 'On bypass': 'syn.out.bypass',
	'On eco mode': 'syn.out.eco', 'On maintenance bypass': 'syn.out.maint', 'Load OFF': 'syn.out.off',
};

// The output (element 14): green on inverter or eco, yellow on another source.
export function outputState(r) {
	let state = OFF;
	if (r.out === 'On inverter' || r.eco)
		state = OK;
	else if (!r.loadOff)
		state = WARN;
	return { state, word: t(OUTPUT_WORDS[r.out] || 'syn.unknown'), flow: r.loadOff ? null : 'fwd' };
}

// The load (element 9, a loadGauge element): no value while the maintenance
// bypass is closed (§12.1.1).
export function updateLoad(el, r) {
	const word = r.maint ? t('syn.out.maint') : (r.overload ? t('syn.overload', { v: percentText(r.load) }) : percentText(r.load));
	el.set({ state: r.maint ? WARN : (r.overload ? ALARM : loadState(r.load)), word });
	el.gauge.set(r.maint ? null : r.load, { showValue: !r.maint });
}

const SUPPLY_LINE = {
	inverter: 'syn.sl.inverter', battery: 'syn.sl.battery', bypass: 'syn.sl.bypass',
	eco: 'syn.sl.eco', maintenance: 'syn.sl.maint', off: 'syn.sl.off',
};

// The state line's start: the load's supply in words, and on battery what is left.
export function supplyLine(level, r) {
	const key = SUPPLY_LINE[loadWord(level)];
	const parts = [key ? t(key) : tx(level.state?.ups_status)];
	if (r.onBattery) {
		parts.push(percentText(measure(level, 'battery.charge')),
			t('syn.remaining', { n: fmtNum(Math.round(measure(level, 'battery.runtime') ?? 0)) }));
	}
	return parts;
}

// The state line's colour: green on inverter or eco, yellow on another
// source, red on a critical condition, grey when the load is off.
export function lineState(r, critical) {
	if (r.loadOff)
		return OFF;
	if (critical)
		return ALARM;
	return r.out === 'On inverter' || r.eco ? OK : WARN;
}

/* ---------- drawing ---------- */

// The unit and STS drawings are laid out with the power flowing left to
// right; on a phone the same drawing is transposed so that it flows top to
// bottom. Symbols keep their own orientation: only positions swap.
export function plane(portrait) {
	const p = (x, y) => (portrait ? [y, x] : [x, y]);
	return {
		portrait,
		p,
		path: points => points.map(([x, y], i) => `${i ? 'L' : 'M'}${p(x, y).join(' ')}`).join(' '),
	};
}

// top: where the drawing starts (negative: room above the first row).
export function svgRoot(width, height, label, extraClass, top = 0) {
	return s('svg', {
		class: ['synoptic', extraClass],
		viewBox: `0 ${top} ${width} ${height - top}`,
		role: 'group',
		'aria-label': label,
		dataset: { load: 'unknown' },
	});
}

const elements = new WeakMap();   // g -> its element, for greyAll()

// One synoptic element. name: its manual name; pick(): what a click does
// (null: not interactive); focus: whether it is a tab stop (the symbols are;
// the wires between them only answer the mouse, their symbol is the stop);
// href: the element is a link (a unit of the system synoptic).
export function element(parent, { key, name, pick = null, focus = true, href = null }) {
	const title = s('title', null, name);
	const g = href
		? s('a', { class: 'syn-el syn-pick', href, dataset: { el: key, state: OFF } }, title)
		: s('g', { class: 'syn-el', dataset: { el: key, state: OFF } }, title);
	if (pick) {
		g.classList.add('syn-pick');
		g.addEventListener('click', pick);
		if (focus) {
			g.setAttribute('tabindex', '0');
			g.setAttribute('role', 'button');
			g.addEventListener('keydown', ev => {
				if (ev.key === 'Enter' || ev.key === ' ') {
					ev.preventDefault();
					pick();
				}
			});
		}
	}
	parent.appendChild(g);
	const el = {
		g,
		name,
		word: '',
		// state: off|ok|warn|alarm; word: the state in words (title, label);
		// flow: 'fwd' | 'rev' | null, the energy flow along its wires.
		set({ state, word, flow = null, hidden = false }) {
			g.dataset.state = state;
			if (flow)
				g.dataset.flow = flow;
			else
				delete g.dataset.flow;
			g.classList.toggle('syn-hidden', hidden);
			if (word !== el.word) {
				el.word = word;
				title.textContent = word ? `${name}: ${word}` : name;
				for (const label of g.querySelectorAll('.syn-word'))
					label.textContent = word;
			}
		},
	};
	elements.set(g, el);
	return el;
}

// A wire with its flow overlay (dots that run along it while energy flows).
export function wire(parent, d, extraClass) {
	parent.append(
		s('path', { class: ['syn-wire', extraClass], d }),
		s('path', { class: 'syn-flow', d }),
	);
}

export function dot(parent, [x, y], r = 6) {
	parent.appendChild(s('circle', { class: 'syn-node', cx: x, cy: y, r }));
}

// A square block centred on c, with a hairline diagonal (converter symbol)
// or not; returns the group translated to the centre for its glyph.
export function block(parent, [cx, cy], size, { diagonal = false } = {}) {
	const half = size / 2;
	const g = s('g', { class: 'syn-block', transform: `translate(${cx} ${cy})` },
		s('rect', { class: 'syn-box', x: -half, y: -half, width: size, height: size, rx: 10 }));
	if (diagonal)
		g.appendChild(s('path', { class: 'syn-glyph syn-thin', d: `M${-half + 8} ${half - 8} L${half - 8} ${-half + 8}` }));
	parent.appendChild(g);
	return g;
}

// The "!" badge that goes with the yellow and red states, so that colour is
// never the only carrier of an alarm.
export function alarmBadge(parent, [x, y]) {
	parent.appendChild(s('g', { class: 'syn-badge', transform: `translate(${x} ${y})`, 'aria-hidden': 'true' },
		s('path', { d: 'M0 -11 L11 8 L-11 8 Z' }),
		s('text', { y: 6, 'text-anchor': 'middle' }, '!')));
}

export function sineGlyph(parent, [x, y], w = 18) {
	const a = w / 2, q = w / 4;
	parent.appendChild(s('path', {
		class: 'syn-glyph', d: `M${x - a} ${y} Q${x - q} ${y - 9} ${x} ${y} T${x + a} ${y}`,
	}));
}

export function dcGlyph(parent, [x, y], w = 18) {
	const a = w / 2;
	parent.appendChild(s('path', { class: 'syn-glyph', d: `M${x - a} ${y - 3} H${x + a} M${x - a} ${y + 3} H${x - a / 3} M${x + a / 3} ${y + 3} H${x + a}` }));
}

// An AC source: a circle with a sine wave.
export function source(parent, [x, y], r = 24) {
	const g = s('g', { class: 'syn-block', transform: `translate(${x} ${y})` },
		s('circle', { class: 'syn-box', r }));
	sineGlyph(g, [0, 0], r);
	parent.appendChild(g);
	return g;
}

// A switch on a wire, drawn as a lever: open or closed by toggling the
// class syn-closed. vertical: the wire runs top to bottom.
export function breaker(parent, [x, y], vertical) {
	const g = s('g', { class: 'syn-breaker', transform: `translate(${x} ${y})` },
		s('rect', { class: 'syn-gap', x: -15, y: -15, width: 30, height: 30 }),
		s('path', { class: 'syn-lever syn-lever-open', d: vertical ? 'M0 -14 L-12 10' : 'M-14 0 L10 -12' }),
		s('path', { class: 'syn-lever syn-lever-closed', d: vertical ? 'M0 -14 V14' : 'M-14 0 H14' }),
		s('circle', { class: 'syn-pin', cx: vertical ? 0 : -14, cy: vertical ? -14 : 0, r: 3 }),
		s('circle', { class: 'syn-pin', cx: vertical ? 0 : 14, cy: vertical ? 14 : 0, r: 3 }));
	parent.appendChild(g);
	return {
		g,
		set(closed) {
			g.classList.toggle('syn-closed', closed);
		},
	};
}

// A two-line label: the element's name and its state word (filled by set()).
export function label(parent, [x, y], name, { anchor = 'middle', word = true, below = true } = {}) {
	const g = s('g', { class: 'syn-label', 'aria-hidden': 'true' },
		s('text', { class: 'syn-name', x, y, 'text-anchor': anchor }, name));
	if (word)
		g.appendChild(s('text', { class: 'syn-word', x, y: below ? y + 17 : y - 17, 'text-anchor': anchor }));
	parent.appendChild(g);
	return g;
}

// Shortens a text with an ellipsis until it fits maxWidth (the full text
// stays in the element's title). Needs the text laid out: call after update.
export function fitText(text, maxWidth) {
	const full = text.textContent;
	if (!text.isConnected || text.getComputedTextLength() <= maxWidth)
		return;
	let n = full.length;
	while (n > 1 && text.getComputedTextLength() > maxWidth)
		text.textContent = `${full.slice(0, --n).trimEnd()}…`;
}

export function valueText(parent, [x, y], { anchor = 'middle', cls = 'syn-value' } = {}) {
	const el = s('text', { class: cls, x, y, 'text-anchor': anchor, 'aria-hidden': 'true' });
	parent.appendChild(el);
	return el;
}

// The battery symbol (§12.1.2): a cell whose fill is the charge, with an
// arrow that runs while it charges or discharges; circuit open shows a cross.
export function batterySymbol(parent, [x, y]) {
	const w = 64, hgt = 40, inner = w - 10;
	const fill = s('rect', { class: 'syn-bat-fill', x: -w / 2 + 5, y: -hgt / 2 + 5, width: inner, height: hgt - 10, rx: 3 });
	const g = s('g', { class: 'syn-block syn-battery', transform: `translate(${x} ${y})` },
		s('rect', { class: 'syn-box', x: -w / 2, y: -hgt / 2, width: w, height: hgt, rx: 6 }),
		s('rect', { class: 'syn-bat-tip', x: w / 2, y: -7, width: 6, height: 14, rx: 2 }),
		fill,
		s('path', { class: 'syn-bat-arrow syn-bat-up', d: 'M-6 6 L0 -6 L6 6' }),
		s('path', { class: 'syn-bat-arrow syn-bat-down', d: 'M-6 -6 L0 6 L6 -6' }),
		s('path', { class: 'syn-bat-cross', d: 'M-12 -12 L12 12 M12 -12 L-12 12' }));
	parent.appendChild(g);
	return {
		g,
		// mode: charging | charged | discharging | discharged | open | none
		set(mode, percent) {
			g.dataset.mode = mode;
			const share = percent === null ? 0 : Math.max(0, Math.min(100, percent)) / 100;
			fill.setAttribute('width', String(Math.max(0.01, inner * share)));
		},
	};
}

// The load symbol (§12.1.3): a gauge whose bar is the load rate on a 0-120 %
// scale, ticks at 90 % and 100 %, and the value in figures.
export function loadGauge(parent, [x, y], width = 76) {
	const scale = 120, left = -width / 2;
	const at = pct => left + width * pct / scale;
	const bar = s('rect', { class: 'syn-gauge-bar', x: left, y: 14, width: 0.01, height: 10, rx: 2 });
	const value = s('text', { class: 'syn-load-value', x: 0, y: 4, 'text-anchor': 'middle' });
	const g = s('g', { class: 'syn-gauge', transform: `translate(${x} ${y})`, 'aria-hidden': 'true' },
		value,
		s('rect', { class: 'syn-gauge-track', x: left, y: 14, width, height: 10, rx: 2 }),
		bar,
		s('path', { class: 'syn-gauge-tick', d: `M${at(90)} 11 V27 M${at(100)} 11 V27` }));
	parent.appendChild(g);
	return {
		set(percent, { showValue = true } = {}) {
			const pct = percent === null ? 0 : Math.max(0, Math.min(scale, percent));
			bar.setAttribute('width', String(Math.max(0.01, width * pct / scale)));
			value.textContent = showValue ? percentText(percent) : '—';
		},
	};
}

// An indicator (elements 16-21 and the STS ones): an icon disc and a word,
// shown only while it has something to say. glyph: {text} or {d} (a path).
export function indicatorItem(parent, [x, y], { key, name, glyph, pick }) {
	const el = element(parent, { key, name, pick });
	el.g.classList.add('syn-indicator');
	el.g.append(
		s('rect', { class: 'syn-hit', x: x - 18, y: y - 18, width: 200, height: 36, rx: 18 }),
		s('circle', { class: 'syn-box', cx: x, cy: y, r: 15 }),
		glyph.d
			? s('path', { class: 'syn-ind-icon', d: glyph.d, transform: `translate(${x} ${y})` })
			: s('text', { class: 'syn-ind-glyph', x, y: y + 5, 'text-anchor': 'middle', 'aria-hidden': 'true' }, glyph.text),
		s('text', { class: 'syn-word syn-ind-word', x: x + 24, y: y + 5, 'aria-hidden': 'true' }));
	el.spot = [x, y];
	return el;
}

// Moves the shown indicators to the first spots, in order, so that they
// never leave gaps; returns how many are shown.
export function packIndicators(items) {
	const spots = items.map(el => el.spot);
	let shown = 0;
	for (const el of items) {
		if (el.g.classList.contains('syn-hidden'))
			continue;
		const [x, y] = spots[shown++];
		el.g.setAttribute('transform', `translate(${x - el.spot[0]} ${y - el.spot[1]})`);
	}
	return shown;
}

// Everything grey and no figure: no communication, or the level was not
// read. Indicators hide: nothing is known to be active.
export function greyAll(svg) {
	for (const g of svg.querySelectorAll('.syn-el')) {
		const hidden = g.classList.contains('syn-indicator');
		elements.get(g).set({ state: OFF, word: t('syn.unknown'), hidden });
		delete g.dataset.mode;
	}
	for (const text of svg.querySelectorAll('.syn-value, .syn-load-value'))
		text.textContent = '—';
}

/* ---------- the page frame ---------- */

function legend() {
	const item = (state, key) => h('li', { class: 'syn-legend-item', dataset: { state } },
		h('span', { class: 'syn-swatch', 'aria-hidden': 'true' }), t(key));
	return h('ul', { class: 'syn-legend', 'aria-label': t('syn.legend') },
		item(OK, 'syn.legend.ok'), item(WARN, 'syn.legend.warn'),
		item(ALARM, 'syn.legend.alarm'), item(OFF, 'syn.legend.off'));
}

// The page: toolbar (optional), the state line, the drawing's host, a slot
// for what goes with the drawing (modules), the legend, then the parameters
// table of the element last picked.
export function frame(root, { toolbar = null } = {}) {
	const stateLine = h('p', { id: 'synoptic-state', class: 'syn-state', role: 'status', 'aria-live': 'polite' });
	const host = h('div', { class: 'syn-host' });
	const extras = h('div', { class: 'syn-extras' });
	const details = h('div', { class: 'syn-details' });
	root.classList.add('syn-page');
	root.append(h('div', { class: 'card syn-card' }, toolbar, stateLine, host, extras, legend()), details);
	return { host, stateLine, extras, details };
}

export function setStateLine(line, { state, parts }) {
	line.dataset.state = state;
	line.textContent = parts.filter(Boolean).join(' — ');
}

// The parameters table below the synoptic (§12.1.4): one section of one
// level at a time, the section buttons to switch, and a link to the full
// page. params-table.js belongs to the monitoring pages; without it the
// synoptic still works, without the table.
export async function paramsPanel(host) {
	let mod = null;
	try {
		mod = await import('../params-table.js');
	} catch {
		return { show() {}, update() {} };
	}
	let current = null;   // {level, section, table}
	let status = null;
	const tabs = h('div', { class: 'syn-tabs', role: 'group', 'aria-label': t('syn.params') });
	const link = h('a', { class: 'syn-full-link' }, t('syn.open_table'));
	const body = h('div', { class: 'syn-table' });
	host.append(h('div', { class: 'card syn-params' },
		h('div', { class: 'syn-params-head' }, tabs, link), body));

	function drawTabs(levelIndex, section) {
		clear(tabs);
		for (const sec of mod.sectionsFor(status, levelIndex)) {
			tabs.appendChild(h('button', {
				type: 'button', class: 'btn btn-small syn-tab', 'aria-pressed': String(sec === section),
				on: { click: () => panel.show(levelIndex, sec) },
			}, mod.sectionTitle(sec, status)));
		}
	}

	const panel = {
		show(levelIndex, section, { scroll = false } = {}) {
			if (!status)
				return;
			const sections = mod.sectionsFor(status, levelIndex);
			if (!sections.length)
				return;
			const sec = sections.includes(section) ? section : sections[0];
			if (!current || current.level !== levelIndex || current.section !== sec) {
				const table = mod.paramsTable(levelIndex, sec);
				body.replaceChildren(table.el);
				current = { level: levelIndex, section: sec, table };
				table.update(status);
			}
			drawTabs(levelIndex, sec);
			link.href = `#/params/${levelIndex}/${sec}`;
			if (scroll)
				host.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
		},
		update(next) {
			status = next;
			if (current)
				current.table.update(next);
		},
	};
	return panel;
}

// Follows the layout the screen calls for: fn(portrait) at once and on change.
export function watchLayout(fn) {
	const query = window.matchMedia('(max-width: 720px)');
	const onChange = () => fn(query.matches);
	query.addEventListener('change', onChange);
	fn(query.matches);
	return () => query.removeEventListener('change', onChange);
}
