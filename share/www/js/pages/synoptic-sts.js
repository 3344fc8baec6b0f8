// #/synoptic/sts: the STS synoptic (§13.1) and, below it, the parameters
// table of the element last clicked (STS, output, path 1, path 2).
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { live } from '../live.js';
import { drawSts, stsStateLine } from '../synoptic/sts.js';
import { liveOk, frame, paramsPanel, setStateLine, watchLayout } from '../synoptic/common.js';

let stopLayout = null;

export default {
	title: 'syn.title.sts',

	async mount(root, ctx) {
		if (live.status?.topology && live.status.topology.kind !== 'sts') {
			root.append(h('div', { class: 'notice notice-info', role: 'status' },
				h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, 'i'),
				h('div', { class: 'notice-body' }, t('syn.not_sts'), ' ', h('a', { href: '#/' }, t('syn.open_unit')))));
			root.dataset.ready = 'true';
			return;
		}
		const { host, stateLine, details } = frame(root);
		const panel = await paramsPanel(details);
		let drawing = null;
		const refresh = st => {
			const ok = liveOk();
			drawing.update(st, ok);
			setStateLine(stateLine, stsStateLine(st, ok));
			panel.update(st);
		};
		stopLayout = watchLayout(portrait => {
			clear(host);
			drawing = drawSts(host, {
				portrait, label: t('syn.title.sts'),
				pick: section => panel.show(0, section, { scroll: true }),
				goAlarms: () => ctx.nav('alarms'),
			});
			refresh(live.status);
		});
		ctx.on('status', refresh);
		ctx.on('link', () => refresh(live.status));
		panel.show(0, 'sts');
		root.dataset.ready = 'true';
	},

	unmount() {
		if (stopLayout)
			stopLayout();
		stopLayout = null;
	},
};
