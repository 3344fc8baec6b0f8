// The §11.3 architecture tree-view: the system, its units and modules,
// each with its status (standby, operating, with alarm, with critical
// alarm, imminent stop) as an icon and in words, and the battery state.
// Not shown for an STS (the manual has no tree for it).
import { h, s, clear } from './dom.js';
import { t, tx } from './i18n.js';

const BATTERY_FILL = { ok: 14, discharging: 7, alarm: 3, disconnected: 0 };

function levelOf(status, node) {
	return (status.levels && status.levels[node.level]) || {};
}

function flagSet(level) {
	return new Set(level.flags || []);
}

export function nodeStatus(status, node) {
	if (!node.present || !node.valid || status.comm !== 'ok')
		return 'unknown';
	const flags = flagSet(levelOf(status, node));
	const worst = node.worst_alarm || 'none';
	if (flags.has('imminent_stop'))
		return 'imminent';
	if (worst === 'critical')
		return 'critical';
	if (worst === 'warning')
		return 'alarm';
	if (flags.has('operating') || flags.has('load_on_inverter'))
		return 'operating';
	return 'standby';
}

function batteryStatus(flags) {
	if (flags.has('battery_disconnected'))
		return 'disconnected';
	if (flags.has('battery_alarm') || flags.has('battery_test_failed') || flags.has('battery_discharged'))
		return 'alarm';
	if (flags.has('on_battery'))
		return 'discharging';
	return 'ok';
}

function single(status) {
	const kind = status.topology && status.topology.kind;
	return kind !== 'parallel' && kind !== 'modular-system';
}

function nodeHref(status, node) {
	if (node.kind === 'module')
		return `#/params/${node.level}/module`;
	if (node.kind === 'unit' || single(status))
		return `#/synoptic/unit/${node.level}`;
	return '#/synoptic/system';
}

function nodeName(status, node) {
	if (node.kind === 'module')
		return t('tree.module', { n: node.module });
	if (node.kind === 'unit')
		return t('tree.unit', { n: node.unit });
	const reference = status.identity && (status.identity.reference || status.identity.range);
	return reference || t(single(status) ? 'tree.ups' : 'tree.system');
}

function iconText(status, node) {
	if (node.kind === 'module')
		return String(node.module);
	if (node.kind === 'unit')
		return String(node.unit);
	return single(status) ? 'UPS' : 'SYS';
}

function batteryIcon(state) {
	const width = BATTERY_FILL[state];
	return s('svg', { class: 'battery-icon', viewBox: '0 0 22 14', 'aria-hidden': 'true', dataset: { battery: state } },
		s('rect', { class: 'shell', x: 1, y: 1.5, width: 17, height: 11, rx: 2 }),
		s('rect', { class: 'level', x: 19, y: 5, width: 2, height: 4, rx: .5 }),
		width ? s('rect', { class: 'level', x: 2.5, y: 3, width, height: 8, rx: 1 }) : null,
		state === 'disconnected' ? s('path', { class: 'shell', d: 'M5 12L14 2' }) : null);
}

function nodeExtras(status, node, level) {
	const flags = flagSet(level);
	const extras = [];
	if (flags.has('energy_saver') || flags.has('eco_mode'))
		extras.push(h('span', { class: 'eco-icon', title: t('tree.energy_saver') }, 'ES',
			h('span', { class: 'visually-hidden' }, t('tree.energy_saver'))));
	const hasBattery = status.identity && status.identity.battery_present;
	if (hasBattery && node.kind !== 'module' && status.comm === 'ok') {
		const state = batteryStatus(flags);
		extras.push(batteryIcon(state), h('span', { class: 'visually-hidden' }, t(`tree.battery_${state}`)));
	}
	return extras;
}

function drawNode(status, node) {
	const state = nodeStatus(status, node);
	const level = levelOf(status, node);
	const words = t(`tree.status_${state}`);
	const detail = level.state && level.state.ups_status ? tx(level.state.ups_status) : '';
	const link = h('a', { class: 'tree-node', href: nodeHref(status, node), title: detail ? `${words} — ${detail}` : words },
		h('span', { class: `node-icon kind-${node.kind}`, dataset: { status: state }, 'aria-hidden': 'true' }, iconText(status, node)),
		h('span', { class: 'node-text' },
			h('span', { class: 'node-name' }, nodeName(status, node)), ' ',
			h('span', { class: 'node-state' }, words)),
		h('span', { class: 'node-extra' }, nodeExtras(status, node, level)));
	const children = (node.children || []).filter(child => child.present !== false);
	return h('li', link, children.length ? h('ul', children.map(child => drawNode(status, child))) : null);
}

// What the drawing depends on: redraw only when it changed, so that a
// tooltip or the flashing of an imminent stop is not restarted every poll.
function signature(status, node) {
	const level = levelOf(status, node);
	return [node.level, nodeStatus(status, node), (level.flags || []).join(), level.state && level.state.ups_status,
		(node.children || []).map(child => signature(status, child))];
}

export function createTree(container) {
	let hash = location.hash;
	let drawn = '';

	function markCurrent(newHash) {
		hash = newHash;
		for (const link of container.querySelectorAll('.tree-node')) {
			if (link.getAttribute('href') === hash)
				link.setAttribute('aria-current', 'page');
			else
				link.removeAttribute('aria-current');
		}
	}

	// Small enough (a system has at most ~35 nodes) to redraw at each
	// snapshot; the focused link keeps its focus across the redraw.
	function update(status) {
		const kind = status && status.topology && status.topology.kind;
		if (!status || !status.tree || kind === 'sts') {
			clear(container).hidden = true;
			drawn = '';
			return;
		}
		const sig = JSON.stringify([t('tree.title'), status.comm, status.identity, signature(status, status.tree)]);
		if (sig === drawn && !container.hidden)
			return;
		drawn = sig;
		const focusedHref = container.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
		container.hidden = false;
		clear(container).append(
			h('h2', { class: 'tree-title', id: 'tree-title' }, t('tree.title')),
			h('nav', { 'aria-labelledby': 'tree-title' }, h('ul', { class: 'tree' }, drawNode(status, status.tree))));
		markCurrent(hash);
		if (focusedHref) {
			const again = container.querySelector(`.tree-node[href="${CSS.escape(focusedHref)}"]`);
			if (again)
				again.focus();
		}
	}

	return { update, markCurrent };
}
