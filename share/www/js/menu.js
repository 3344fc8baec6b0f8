// The §11.2 menu in the side panel: groups of links, filtered by the
// device (UPS or STS), the settings (services that are enabled) and the
// role. Real links, so Tab, Enter and middle-click work; Up/Down/Home/End
// move between the links of the menu too.
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { icon } from './icons.js';

const COLLAPSED_KEY = 'upsgate.menu.collapsed';

function isSts(status) {
	return Boolean(status && status.topology && status.topology.kind === 'sts');
}

// The manual's rule for an address typed without a scheme.
export function linkHref(address) {
	const text = String(address || '').trim();
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
}

function externalLinks(settings) {
	const links = (settings && settings['web.links']) || [];
	return links
		.filter(link => link && link.enabled && String(link.address || '').trim())
		.map(link => ({ external: true, href: linkHref(link.address), text: link.text || link.address }));
}

// Each item: {route, label, icon, when?}; route is the hash path (with query).
function groups({ status, settings, session }) {
	const sts = isSts(status);
	const setting = key => Boolean(settings && settings[key]);
	const admin = session.isAdmin();
	return [
		{ id: 'monitoring', label: 'menu.monitoring', items: [
			{ route: '', label: 'menu.overview', icon: 'overview', match: ['synoptic/', 'params/'] },
			{ route: 'dashboard', label: 'menu.dashboard', icon: 'dashboard' },
			{ route: 'realtime', label: 'menu.realtime', icon: 'realtime' },
			{ route: 'alarms', label: 'menu.alarms', icon: 'alarm' },
		] },
		// The device controls (§11.2.2) arrive with a later issue; the group
		// shows as soon as it has an item.
		{ id: 'device', label: 'menu.device_management', items: [] },
		{ id: 'gateway', label: 'menu.gateway_management', items: [
			{ route: 'admin/time', label: 'menu.time', icon: 'clock' },
			{ route: 'admin/gateway', label: 'menu.gateway', icon: 'gear' },
			{ route: 'admin/services', label: 'menu.services', icon: 'services' },
			{ route: 'admin/users', label: 'menu.users', icon: 'users', when: admin },
			{ route: 'admin/auth', label: 'menu.auth', icon: 'key' },
			{ route: 'admin/snmp', label: 'menu.snmp', icon: 'network', when: setting('snmp.enabled') },
			{ route: 'admin/modbus', label: 'menu.modbus', icon: 'modbus', when: setting('modbus_tcp.enabled') },
			{ route: 'admin/bacnet', label: 'menu.bacnet', icon: 'building', when: setting('bacnet.enabled') && !sts },
			{ route: 'admin/firewall', label: 'menu.firewall', icon: 'shield' },
			{ route: 'admin/links', label: 'menu.links_setup', icon: 'link' },
			{ route: 'admin/language', label: 'menu.language', icon: 'globe' },
			{ route: 'admin/serial', label: 'menu.serial', icon: 'terminal', when: admin },
		] },
		{ id: 'history', label: 'menu.history', items: [
			{ route: 'history/graph?log=history', label: 'menu.history_graph', icon: 'graph',
				match: ['history/graph?log=history', 'history/graph'] },
			{ route: 'history/table?log=history', label: 'menu.history_table', icon: 'table',
				match: ['history/table?log=history', 'history/table'] },
			{ route: 'history/graph?log=extended', label: 'menu.extended', icon: 'extended', when: !sts,
				match: ['history/graph?log=extended', 'history/table?log=extended'] },
			{ route: 'logs/device', label: sts ? 'menu.sts_log' : 'menu.ups_log', icon: 'log' },
			{ route: 'logs/gateway', label: 'menu.gateway_log', icon: 'log' },
			{ route: 'logs/clear', label: 'menu.clear_logs', icon: 'trash' },
		] },
		{ id: 'links', label: 'menu.external_links', items: externalLinks(settings) },
	].map(g => ({ ...g, items: g.items.filter(item => item.when === undefined || item.when) }))
		.filter(g => g.items.length);
}

function loadCollapsed() {
	try {
		return new Set(JSON.parse(localStorage.getItem(COLLAPSED_KEY) || '[]'));
	} catch {
		return new Set();
	}
}

function saveCollapsed(set) {
	try {
		localStorage.setItem(COLLAPSED_KEY, JSON.stringify([...set]));
	} catch {
		/* private mode: the choice lasts for this page only */
	}
}

function itemLink(item) {
	if (item.external)
		return h('a', { class: 'menu-link', href: item.href, target: '_blank', rel: 'noopener noreferrer' },
			icon('link'), h('span', item.text), icon('external', 'ext'),
			h('span', { class: 'visually-hidden' }, ` (${t('menu.new_tab')})`));
	return h('a', {
		class: 'menu-link', href: `#/${item.route}`,
		dataset: { route: item.route, match: (item.match || [item.route]).join('|') },
	}, icon(item.icon), h('span', t(item.label)));
}

// Up/Down/Home/End between the visible links.
function onKeydown(event, nav) {
	const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
	if (!keys.includes(event.key))
		return;
	const links = [...nav.querySelectorAll('.menu-link, .menu-group-btn')].filter(el => el.offsetParent !== null);
	const i = links.indexOf(document.activeElement);
	if (i < 0)
		return;
	event.preventDefault();
	const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: links.length - 1 }[event.key];
	links[(next + links.length) % links.length].focus();
}

export function createMenu(nav) {
	const collapsed = loadCollapsed();
	let currentHash = location.hash;
	nav.addEventListener('keydown', event => onKeydown(event, nav));

	function group(g) {
		const listId = `menu-${g.id}`;
		const open = !collapsed.has(g.id);
		const list = h('ul', { class: 'menu-list', id: listId, hidden: !open },
			g.items.map(item => h('li', itemLink(item))));
		const btn = h('button', {
			type: 'button', class: 'menu-group-btn', 'aria-expanded': String(open), 'aria-controls': listId,
			on: { click: () => toggle(g.id, btn, list) },
		}, h('span', t(g.label)), icon('chevron', 'chev'));
		return h('div', { class: 'menu-group' }, btn, list);
	}

	function toggle(id, btn, list) {
		const open = btn.getAttribute('aria-expanded') !== 'true';
		btn.setAttribute('aria-expanded', String(open));
		list.hidden = !open;
		if (open)
			collapsed.delete(id);
		else
			collapsed.add(id);
		saveCollapsed(collapsed);
	}

	function markCurrent(hash) {
		currentHash = hash;
		const here = (hash || '').replace(/^#\/?/, '');
		for (const link of nav.querySelectorAll('.menu-link[data-match]')) {
			const hit = link.dataset.match.split('|').some(m => (m === '' ? here === '' : here === m || (m.endsWith('/') && here.startsWith(m))))
				|| here.split('?')[0] === link.dataset.route && !link.dataset.route.includes('?');
			if (hit)
				link.setAttribute('aria-current', 'page');
			else
				link.removeAttribute('aria-current');
		}
	}

	return {
		render(context) {
			clear(nav).append(...groups(context).map(group));
			markCurrent(currentHash);
		},
		markCurrent,
	};
}
