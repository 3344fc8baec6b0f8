// The top bar (§11.1): system name and location, the communication
// badge, the alarm shortcut (flashing while an alarm is unacknowledged),
// shortcuts to the dashboard and the history graph, the language and the
// login state. Also the "no communication" banner under it.
import { api } from './api.js';
import { h, clear } from './dom.js';
import { t, lang, languages, setLang } from './i18n.js';
import { icon } from './icons.js';
import { session } from './session.js';

const $ = id => document.getElementById(id);

function shortcut(route, key, iconName, extraClass) {
	return h('a', { class: ['topbar-btn', extraClass], href: `#/${route}`, title: t(key), dataset: { route } },
		icon(iconName), h('span', { class: 'label' }, t(key)));
}

function initials(name) {
	return String(name || '?').slice(0, 2);
}

// On a phone the select shows the language's code ("FR"), the name otherwise.
const narrow = window.matchMedia('(max-width: 719px)');

function labelLanguages(select) {
	for (const option of select.options)
		option.textContent = narrow.matches ? option.value.toUpperCase() : option.dataset.name;
}

export function createTopbar() {
	narrow.addEventListener('change', () => labelLanguages(document.getElementById('lang-select')));
	const actions = $('topbar-actions');
	let userMenu = null;
	let els = {};

	function closeUserMenu(returnFocus) {
		if (!userMenu)
			return;
		userMenu.remove();
		userMenu = null;
		els.user.setAttribute('aria-expanded', 'false');
		document.removeEventListener('click', outsideClick, true);
		if (returnFocus)
			els.user.focus();
	}

	function outsideClick(event) {
		if (userMenu && !userMenu.contains(event.target) && !els.user.contains(event.target))
			closeUserMenu(false);
	}

	function openUserMenu() {
		const cur = session.current;
		const item = (key, iconName, fn) => h('button', {
			type: 'button', role: 'menuitem', on: { click: () => { closeUserMenu(true); fn(); } },
		}, icon(iconName), t(key));
		userMenu = h('div', { class: 'user-menu', id: 'user-menu', role: 'menu', 'aria-label': t('login.account') },
			h('div', { class: 'user-menu-head' },
				h('strong', cur.user), h('span', { class: 'muted small' }, t(`login.role_${cur.role}`))),
			cur.radius ? null : item('login.change_title', 'password', () => session.changePassword()),
			item('login.logout', 'logout', () => session.logout()));
		userMenu.addEventListener('keydown', event => {
			if (event.key === 'Escape') {
				event.stopPropagation();
				closeUserMenu(true);
			}
		});
		document.body.appendChild(userMenu);
		els.user.setAttribute('aria-expanded', 'true');
		document.addEventListener('click', outsideClick, true);
		userMenu.querySelector('button').focus();
	}

	function onUserClick() {
		if (userMenu)
			closeUserMenu(true);
		else if (session.current)
			openUserMenu();
		else
			session.requireLogin();
	}

	// The idle countdown: a local clock (no request) that shows in the last
	// two minutes before the server ends an idle session. Any request resets
	// the server's timer; the button sends one.
	const WARN_S = 120;
	let idleTimer = 0;

	function tickIdle() {
		const left = session.current && !session.current.must_change ? session.idleLeft() : null;
		const show = left !== null && left > 0 && left <= WARN_S;
		els.idle.hidden = !show;
		if (show) {
			const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
			els.idleText.textContent = t('login.idle_warning', { time: text });
		}
	}

	function startIdleClock() {
		clearInterval(idleTimer);
		idleTimer = setInterval(tickIdle, 1000);
		tickIdle();
	}

	async function stayLoggedIn() {
		try {
			await api.get('/session');
		} catch {
			/* the session already ended: the login dialog is on its way */
		}
		tickIdle();
	}

	function build() {
		closeUserMenu(false);
		const select = h('select', { id: 'lang-select', class: 'lang-select', 'aria-label': t('lang.select') },
			languages().map(l => h('option', { value: l.code, selected: l.code === lang(), dataset: { name: l.name } }, l.name)));
		labelLanguages(select);
		select.addEventListener('change', () => setLang(select.value));
		els = {
			alarm: h('a', { class: 'topbar-btn alarm-btn', id: 'alarm-button', href: '#/alarms', dataset: { route: 'alarms', new: 'false' } },
				icon('alarm'), h('span', { class: 'label' }, t('app.alarms')),
				h('span', { class: 'count', id: 'alarm-count' }, '0')),
			dashboard: shortcut('dashboard', 'menu.dashboard', 'dashboard', 'hide-narrow'),
			history: shortcut('history/graph?log=history', 'app.history_shortcut', 'graph', 'hide-narrow'),
			select,
			user: h('button', { type: 'button', class: 'topbar-btn user-btn', id: 'user-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', on: { click: onUserClick } }),
			idleText: h('span'),
		};
		els.idle = h('button', { type: 'button', class: 'idle-chip', id: 'session-timer', hidden: true, title: t('login.idle_stay'), on: { click: stayLoggedIn } },
			els.idleText, h('span', { class: 'visually-hidden' }, ` ${t('login.idle_stay')}`));
		clear(actions).append(els.idle, els.alarm, els.dashboard, els.history, els.select, els.user);
		$('drawer-button').setAttribute('aria-label', t('app.menu'));
		clear($('drawer-button')).appendChild(icon('menu'));
		updateUser();
	}

	function updateUser() {
		const cur = session.current;
		const logged = Boolean(cur && !cur.must_change);
		els.user.dataset.logged = String(logged);
		clear(els.user).append(
			h('span', { class: 'avatar', 'aria-hidden': 'true' }, logged ? initials(cur.user) : icon('login')),
			h('span', { class: 'user-text' },
				h('span', { class: 'user-name' }, logged ? cur.user : t('login.not_logged')),
				h('span', { class: 'user-role' }, logged ? t(`login.role_${cur.role}`) : t('login.click_to_login'))));
		els.user.setAttribute('aria-label', logged
			? t('login.account_label', { user: cur.user, role: t(`login.role_${cur.role}`) })
			: t('login.not_logged_label'));
		els.user.setAttribute('aria-haspopup', logged ? 'menu' : 'dialog');
	}

	function updateAlarms(status) {
		const counts = (status && status.alarm_counts) || {};
		const total = counts.total || 0;
		const severity = counts.critical ? 'critical' : total ? 'warning' : 'none';
		$('alarm-count').textContent = String(total);
		els.alarm.dataset.severity = severity;
		els.alarm.dataset.new = String((counts.unacknowledged || 0) > 0);
		els.alarm.setAttribute('aria-label', t('app.alarms_label', { n: total }));
	}

	function updateIdentity(status) {
		$('system-name').textContent = (status && status.name) || 'upsgate';
		$('system-location').textContent = (status && status.location) || '';
	}

	// The badge: the UPS link (status.comm) while the gateway answers;
	// "disconnected" when the gateway itself is out of reach.
	function updateComm(status, link) {
		let state = (status && status.comm) || 'starting';
		if (link === 'lost')
			state = 'disconnected';
		else if (link !== 'open')
			state = 'connecting';
		const badge = $('comm-state');
		badge.dataset.state = state;
		const text = t(`app.comm_${state}`);
		badge.title = text;
		clear(badge).append(h('span', { class: 'badge-text' }, text));
		badge.setAttribute('aria-label', text);
		updateBanner(state);
	}

	function updateBanner(state) {
		const banner = $('banner');
		const messages = {
			disconnected: ['app.banner_gateway', 'app.banner_gateway_detail', 'critical'],
			lost: ['app.banner_ups', 'app.banner_ups_detail', 'critical'],
		};
		const message = messages[state];
		banner.hidden = !message;
		if (!message)
			return;
		banner.dataset.kind = message[2];
		clear(banner).append(h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '!'),
			h('span', t(message[0])), h('span', { class: 'banner-detail' }, t(message[1])));
	}

	function markCurrent(hash) {
		const here = (hash || '').replace(/^#\/?/, '');
		for (const link of actions.querySelectorAll('a[data-route]')) {
			if (link.dataset.route === here)
				link.setAttribute('aria-current', 'page');
			else
				link.removeAttribute('aria-current');
		}
	}

	build();
	startIdleClock();
	return { build, updateUser, updateAlarms, updateIdentity, updateComm, markCurrent, closeUserMenu };
}
