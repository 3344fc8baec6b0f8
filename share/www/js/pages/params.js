// #/params/N/SECTION: the parameters tables of one level (§12.1.5-12.1.10,
// §12.2.3-4, §13.2-13.4), a link per section the level has, and the
// level's active alarms and status bits, all kept current from the live status.
import { h, clear } from '../dom.js';
import { t, tx } from '../i18n.js';
import { live } from '../live.js';
import { paramsTable, sectionsFor, levelName, severityBadge, noticeBox } from '../params-table.js';

function levelChoices(status) {
	return (status.levels || []).map((level, i) => ({
		index: i, name: levelName(status, i) || t('params.level_ups'),
	}));
}

function levelSelect(status, current, ctx, section) {
	const select = h('select', {
		id: 'params-level',
		on: {
			change: () => {
				const i = Number(select.value);
				const sections = sectionsFor(live.status, i);
				ctx.nav(`/params/${i}/${sections.includes(section) ? section : sections[0]}`);
			},
		},
	}, levelChoices(status).map(c => h('option', { value: c.index, selected: c.index === current }, c.name)));
	return h('div', { class: 'field params-level' }, h('label', { for: 'params-level', class: 'field-label' }, t('params.level')), select);
}

function sectionNav(sections, n, current) {
	return h('nav', { class: 'tabs params-tabs', 'aria-label': t('params.sections') },
		sections.map(sec => h('a', {
			href: `#/params/${n}/${sec}`,
			'aria-current': sec === current ? 'page' : null,
		}, t(`params.tab.${sec}`))));
}

const NOTABLE = new Set(['warning', 'critical']);

/* A list of bits ({code, severity, text}). Alarms carry their level in words;
 * status bits only when it is worth noticing. */
function bitList(bits, emptyKey, alwaysSeverity) {
	if (!bits.length)
		return h('p', { class: 'mon-empty' }, t(emptyKey));
	return h('ul', { class: alwaysSeverity ? 'mon-bits' : 'mon-bits mon-bits-status' }, bits.map(bit => h('li', null,
		h('span', { class: 'mon-code' }, bit.code),
		h('span', { class: 'mon-bit-text' }, tx(bit.text)),
		alwaysSeverity || NOTABLE.has(bit.severity) ? severityBadge(bit.severity) : null)));
}

function bitsKey(level) {
	return JSON.stringify([level?.alarms, level?.status_bits]);
}

export default {
	title: 'params.title',

	async mount(root, ctx) {
		root.classList.add('mon');
		const n = Number(ctx.params.n ?? 0);
		const section = ctx.params.section;
		const head = h('div', { class: 'mon-toolbar' });
		const tableBox = h('div', { class: 'params-main' });
		const alarmsBox = h('div', { class: 'card-body' });
		const bitsBox = h('div', { class: 'card-body' });
		const side = h('div', { class: 'stack params-side' },
			h('section', { class: 'card', 'aria-labelledby': 'params-alarms-h' },
				h('div', { class: 'card-head' }, h('h2', { id: 'params-alarms-h' }, t('params.level_alarms'))), alarmsBox),
			h('section', { class: 'card', 'aria-labelledby': 'params-bits-h' },
				h('div', { class: 'card-head' }, h('h2', { id: 'params-bits-h' }, t('params.status_bits'))), bitsBox));
		root.append(head, h('div', { class: 'split params-layout' }, tableBox, side));

		let table = null;
		let shownBits = null;
		let layoutKey = null;

		function drawLayout(status) {
			const sections = sectionsFor(status, n);
			if (!sections.length)
				return false;
			if (!sections.includes(section)) {
				ctx.nav(`/params/${n}/${sections[0]}`);
				return false;
			}
			const key = JSON.stringify([sections, (status.levels || []).length]);
			if (key === layoutKey)
				return true;
			layoutKey = key;
			clear(head);
			if ((status.levels || []).length > 1)
				head.append(levelSelect(status, n, ctx, section));
			head.append(sectionNav(sections, n, section));
			return true;
		}

		function draw(status) {
			if (!status)
				return;
			if (!table && status.levels?.length && !status.levels[n]) {
				tableBox.replaceChildren(noticeBox('info', t('params.no_level', { n })));
				side.hidden = true;
				root.dataset.ready = 'true';
				return;
			}
			if (!table && status.levels?.length) {
				if (!drawLayout(status))
					return;   // redirected to the level's first section
				table = paramsTable(n, section);
				tableBox.append(table.el);
			} else if (table) {
				drawLayout(status);
			}
			if (table)
				table.update(status);
			else
				tableBox.replaceChildren(noticeBox('warning', t('params.no_data')));
			const level = status.levels?.[n];
			const key = bitsKey(level);
			if (key !== shownBits) {
				shownBits = key;
				alarmsBox.replaceChildren(bitList(level?.alarms || [], 'params.no_level_alarm', true));
				bitsBox.replaceChildren(bitList(level?.status_bits || [], 'params.no_status_bit', false));
			}
			side.classList.toggle('no-comm', status.comm !== 'ok');
			root.dataset.ready = 'true';
		}

		ctx.on('status', draw);
		draw(live.status);
	},
};
