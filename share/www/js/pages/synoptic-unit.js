// #/synoptic/unit/N: the unit synoptic (§12.1) of level N (0 for a single
// or modular UPS, the unit's level in a parallel system), its modules, and
// the parameters table of the element last clicked (§12.1.4).
import { h, clear } from '../dom.js';
import { t, tx } from '../i18n.js';
import { live } from '../live.js';
import { drawUnit, unitStateLine } from '../synoptic/unit.js';
import { OFF, OK, WARN, ALARM, flagsOf, liveOk, frame, paramsPanel, setStateLine, watchLayout } from '../synoptic/common.js';

const MULTI_UNIT = new Set(['parallel', 'modular-system']);
let stopLayout = null;

function levelIndexOf(ctx) {
	const n = Number(ctx.params.n);
	return Number.isInteger(n) && n >= 0 ? n : -1;
}

function unitName(status, levelIndex) {
	const level = status?.levels?.[levelIndex];
	return level?.kind === 'unit' ? t('syn.unit_n', { n: level.unit }) : '';
}

// The units of a parallel system, as [{level, unit}] from the tree.
function unitsOf(status) {
	return (status?.tree?.children || []).filter(c => c.kind === 'unit');
}

function modulesOf(status, levelIndex) {
	const find = node => (node.level === levelIndex ? node : (node.children || []).map(find).find(Boolean));
	const node = status?.tree ? find(status.tree) : null;
	return (node?.children || []).filter(c => c.kind === 'module');
}

// Parallel systems: back to the system synoptic, and the other units.
function unitToolbar(status, levelIndex) {
	if (!MULTI_UNIT.has(status?.topology?.kind))
		return null;
	const units = unitsOf(status).map(u => h('a', {
		class: 'btn btn-small', href: `#/synoptic/unit/${u.level}`,
		'aria-current': u.level === levelIndex ? 'page' : null,
	}, t('syn.unit_n', { n: u.unit })));
	return h('nav', { class: 'syn-toolbar', 'aria-label': t('syn.units') },
		h('a', { class: 'btn btn-small', href: '#/synoptic/system' }, `← ${t('syn.title.system')}`),
		h('div', { class: 'btn-group syn-units' }, units));
}

function moduleState(level) {
	if (!level || level.valid === false)
		return { state: OFF, word: t('syn.no_data') };
	const worst = level.state?.worst_alarm;
	if (worst === 'critical')
		return { state: ALARM, word: t('syn.critical_alarm') };
	if (worst === 'warning')
		return { state: WARN, word: t('syn.alarm_short') };
	const f = flagsOf(level);
	if (f.has('operating') || f.has('inverter_on') || f.has('load_on_inverter'))
		return { state: OK, word: t('syn.operating') };
	return { state: OFF, word: tx(level.state?.ups_status) };
}

// Modular units: one link per module to its parameters table.
function moduleStrip(status, levelIndex) {
	const list = modulesOf(status, levelIndex);
	if (!list.length)
		return null;
	const chips = list.map(m => {
		const word = h('span', { class: 'syn-module-word' });
		const link = h('a', { class: 'syn-module', href: `#/params/${m.level}/module` },
			h('span', { class: 'syn-module-dot', 'aria-hidden': 'true' }),
			h('span', { class: 'syn-module-name' }, t('syn.module_n', { n: m.module })), word);
		return { level: m.level, link, word };
	});
	const el = h('div', { class: 'syn-modules' },
		h('h2', { class: 'syn-modules-title' }, t('syn.modules')),
		h('div', { class: 'syn-module-list' }, chips.map(c => c.link)));
	return {
		el,
		update(st, ok) {
			for (const c of chips) {
				const { state, word } = ok ? moduleState(st.levels?.[c.level]) : { state: OFF, word: t('syn.no_data') };
				c.link.dataset.state = state;
				c.word.textContent = word;
			}
		},
	};
}

export default {
	title: ctx => {
		const name = unitName(live.status, levelIndexOf(ctx));
		return name ? `${t('syn.title.unit')} — ${name}` : t('syn.title.unit');
	},

	async mount(root, ctx) {
		const levelIndex = levelIndexOf(ctx);
		const status = live.status;
		const level = status?.levels?.[levelIndex];
		if (status?.levels && (!level || level.kind === 'module' || status.topology?.kind === 'sts')) {
			root.append(h('div', { class: 'notice notice-warning', role: 'alert' },
				h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '!'),
				h('div', { class: 'notice-body' }, t('syn.no_such_unit'))));
			root.dataset.ready = 'true';
			return;
		}
		const { host, stateLine, extras, details } = frame(root, { toolbar: unitToolbar(status, levelIndex) });
		const modules = moduleStrip(status, levelIndex);
		if (modules)
			extras.appendChild(modules.el);
		const panel = await paramsPanel(details);
		const aria = [t('syn.title.unit'), unitName(status, levelIndex)].filter(Boolean).join(' — ');
		let drawing = null;

		const refresh = st => {
			const ok = liveOk();
			if (drawing)
				drawing.update(st, levelIndex, ok);
			setStateLine(stateLine, unitStateLine(st, levelIndex, ok));
			if (modules)
				modules.update(st, ok);
			panel.update(st);
		};
		stopLayout = watchLayout(portrait => {
			clear(host);
			drawing = drawUnit(host, {
				portrait, label: aria,
				pick: section => panel.show(levelIndex, section, { scroll: true }),
				goAlarms: () => ctx.nav('alarms'),
			});
			refresh(live.status);
		});
		ctx.on('status', refresh);
		ctx.on('link', () => refresh(live.status));
		panel.show(levelIndex, 'ups');
		root.dataset.ready = 'true';
	},

	unmount() {
		if (stopLayout)
			stopLayout();
		stopLayout = null;
	},
};
