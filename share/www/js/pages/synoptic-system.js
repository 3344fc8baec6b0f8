// #/synoptic/system: the system synoptic (§12.2) of a parallel system; a
// unit links to its unit synoptic, the system and load symbols show the
// system's parameters tables below (§12.2.2).
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { live } from '../live.js';
import { drawSystem, systemStateLine } from '../synoptic/system.js';
import { liveOk, frame, paramsPanel, setStateLine, watchLayout } from '../synoptic/common.js';

const MULTI_UNIT = new Set(['parallel', 'modular-system']);
let stopLayout = null;

function unitsKey(status) {
	return `${status?.topology?.bypass}/${(status?.tree?.children || []).map(c => c.level).join(',')}`;
}

export default {
	title: 'syn.title.system',

	async mount(root, ctx) {
		if (live.status?.topology && !MULTI_UNIT.has(live.status.topology.kind)) {
			root.append(h('div', { class: 'notice notice-info', role: 'status' },
				h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, 'i'),
				h('div', { class: 'notice-body' }, t('syn.not_parallel'), ' ',
					h('a', { href: live.status.topology.kind === 'sts' ? '#/synoptic/sts' : '#/synoptic/unit/0' }, t('syn.open_unit')))));
			root.dataset.ready = 'true';
			return;
		}
		const { host, stateLine, details } = frame(root);
		const panel = await paramsPanel(details);
		let drawing = null, narrow = false, drawnFor = '';

		const draw = () => {
			clear(host);
			drawnFor = unitsKey(live.status);
			drawing = drawSystem(host, {
				narrow, status: live.status, label: t('syn.title.system'),
				pick: section => panel.show(0, section, { scroll: true }),
			});
		};
		const refresh = st => {
			if (unitsKey(st) !== drawnFor)
				draw();   // units came or went: the drawing follows the topology
			const ok = liveOk();
			drawing.update(st, ok);
			setStateLine(stateLine, systemStateLine(st, ok));
			panel.update(st);
		};
		stopLayout = watchLayout(isNarrow => {
			narrow = isNarrow;
			draw();
			refresh(live.status);
		});
		ctx.on('status', refresh);
		ctx.on('link', () => refresh(live.status));
		panel.show(0, 'ups');
		root.dataset.ready = 'true';
	},

	unmount() {
		if (stopLayout)
			stopLayout();
		stopLayout = null;
	},
};
