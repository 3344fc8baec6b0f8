// Boot: language, session, settings, live stream, router; then keeps the
// shell (top bar, menu, tree-view) in step with them.
import { api } from './api.js';
import { h, clear } from './dom.js';
import { initI18n, t, onLangChange, setTemperatureUnit } from './i18n.js';
import { live } from './live.js';
import { createMenu } from './menu.js';
import { Router } from './router.js';
import { session } from './session.js';
import { createTopbar } from './topbar.js';
import { createTree } from './tree.js';

const $ = id => document.getElementById(id);

const LOG_NAMES = new Set(['device', 'gateway']);
const ROUTES = [
	['synoptic/unit/:n', 'synoptic-unit', () => import('./pages/synoptic-unit.js')],
	['synoptic/system', 'synoptic-system', () => import('./pages/synoptic-system.js')],
	['synoptic/sts', 'synoptic-sts', () => import('./pages/synoptic-sts.js')],
	['params/:n/:section', 'params', () => import('./pages/params.js')],
	['alarms', 'alarms', () => import('./pages/alarms.js')],
	['dashboard', 'dashboard', () => import('./pages/dashboard.js')],
	['realtime', 'realtime', () => import('./pages/realtime.js')],
	['history/graph', 'history-graph', () => import('./pages/history-graph.js')],
	['history/table', 'history-table', () => import('./pages/history-table.js')],
	['logs/clear', 'logs-clear', () => import('./pages/logs-clear.js')],
	['logs/:name', 'logs', () => import('./pages/logs.js'), p => LOG_NAMES.has(p.name)],
	['admin/time', 'admin-time', () => import('./pages/admin-time.js')],
	['admin/gateway', 'admin-gateway', () => import('./pages/admin-gateway.js')],
	['admin/services', 'admin-services', () => import('./pages/admin-services.js')],
	['admin/users', 'admin-users', () => import('./pages/admin-users.js')],
	['admin/auth', 'admin-auth', () => import('./pages/admin-auth.js')],
	['admin/firewall', 'admin-firewall', () => import('./pages/admin-firewall.js')],
	['admin/links', 'admin-links', () => import('./pages/admin-links.js')],
	['admin/serial', 'admin-serial', () => import('./pages/admin-serial.js')],
	['admin/snmp', 'admin-snmp', () => import('./pages/admin-snmp.js')],
	['admin/modbus', 'admin-modbus', () => import('./pages/admin-modbus.js')],
	['admin/bacnet', 'admin-bacnet', () => import('./pages/admin-bacnet.js')],
	['admin/language', 'language', () => import('./pages/language.js')],
].map(([pattern, name, load, check]) => ({ pattern, name, load, check }));

const shell = {
	settings: null,
	topbar: null,
	menu: null,
	tree: null,
	router: null,
	started: false,
	who: '',           // "user/role" the page was mounted for
};

// "#/" goes where the manual's home page goes for this device.
function homeRoute() {
	const kind = live.status && live.status.topology && live.status.topology.kind;
	if (kind === 'parallel' || kind === 'modular-system')
		return 'synoptic/system';
	if (kind === 'sts')
		return 'synoptic/sts';
	return 'synoptic/unit/0';
}

function applyStaticTexts() {
	for (const el of document.querySelectorAll('[data-i18n]'))
		el.textContent = t(el.dataset.i18n);
	for (const el of document.querySelectorAll('[data-i18n-label]'))
		el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

function renderMenu() {
	shell.menu.render({ status: live.status, settings: shell.settings, session });
}

async function loadSettings() {
	try {
		shell.settings = await api.get('/settings');
	} catch {
		return;   // the menu keeps its last state; the pages show their own errors
	}
	setTemperatureUnit(shell.settings['system.temperature_unit']);
	if (live.status) {
		live.status.name = shell.settings['system.name'];
		live.status.location = shell.settings['system.location'];
		shell.topbar.updateIdentity(live.status);
	}
	renderMenu();
}

// A change of configuration (web, SNMP, Modbus TCP...) may change the menu.
function settingsMayHaveChanged(event) {
	const code = String(event.code || '');
	return code.startsWith('gw.config') || code.startsWith('gw.setting') || code === 'gw.params_reset';
}

// ---- drawer (narrow screens) --------------------------------------------

function setDrawer(open) {
	document.body.classList.toggle('drawer-open', open);
	$('drawer-button').setAttribute('aria-expanded', String(open));
	$('scrim').hidden = !open;
	if (open)
		($('sidebar').querySelector('a, button') || $('sidebar')).focus({ preventScroll: true });
}

function drawerOpen() {
	return document.body.classList.contains('drawer-open');
}

function wireDrawer() {
	$('drawer-button').addEventListener('click', () => setDrawer(!drawerOpen()));
	$('scrim').addEventListener('click', () => setDrawer(false));
	$('sidebar').addEventListener('click', event => {
		if (event.target.closest('a'))
			setDrawer(false);
	});
	document.addEventListener('keydown', event => {
		if (event.key !== 'Escape')
			return;
		if (drawerOpen()) {
			setDrawer(false);
			$('drawer-button').focus();
		}
		shell.topbar.closeUserMenu(false);
	});
	// The skip link must not change the route: move the focus instead.
	$('skip-link').addEventListener('click', event => {
		event.preventDefault();
		$('page').focus();
	});
}

// ---- live updates -------------------------------------------------------

let lastTopology = '';

function onStatus(status) {
	shell.topbar.updateAlarms(status);
	shell.topbar.updateIdentity(status);
	shell.topbar.updateComm(status, live.link());
	shell.tree.update(status);
	const topology = JSON.stringify(status.topology || null);
	if (topology !== lastTopology) {
		lastTopology = topology;
		renderMenu();
	}
}

function onRoute() {
	shell.menu.markCurrent(location.hash);
	shell.tree.markCurrent(location.hash);
	shell.topbar.markCurrent(location.hash);
}

// Logged out on purpose: nothing of the device stays on the screen.
function onLogout() {
	if (shell.router)
		shell.router.unmount();
	shell.who = '';
	shell.tree.update(null);
	showLoggedOut();
}

function showLoggedOut() {
	document.body.classList.remove('booting');
	const button = h('button', { type: 'button', class: 'btn btn-primary', on: { click: () => session.requireLogin() } }, t('login.submit'));
	clear($('page')).append(h('div', { class: 'card empty-state' },
		h('h1', t('login.required_title')), h('p', t('login.required')), button));
}

async function startApp() {
	shell.started = true;
	shell.who = whoKey();
	await Promise.all([loadSettings(), live.start()]);
	document.body.classList.remove('booting');
	renderMenu();
	shell.router = new Router({ routes: ROUTES, outlet: $('page'), redirect: path => (path === '' ? homeRoute() : null), onRoute });
	await shell.router.start();
}

function whoKey() {
	return session.current ? `${session.current.user}/${session.current.role}` : '';
}

// Logged in again: as someone else (or with another role) the page is
// mounted again so that its write controls follow the new role.
function onSessionChange() {
	shell.topbar.updateUser();
	if (!session.current || session.current.must_change) {
		live.stop();   // the stream ends with the session: not a communication failure
		return;
	}
	if (!shell.started) {
		startApp();
		return;
	}
	if (!live.running())
		live.restart();
	loadSettings();
	if (whoKey() !== shell.who) {
		shell.who = whoKey();
		renderMenu();
		shell.router.reload();
	}
}

function onLanguage() {
	applyStaticTexts();
	shell.topbar.build();
	shell.topbar.updateComm(live.status, live.link());
	if (live.status) {
		shell.topbar.updateAlarms(live.status);
		shell.tree.update(live.status);
	}
	renderMenu();
	onRoute();
	if (shell.router)
		shell.router.reload();
}

async function boot() {
	await initI18n();
	applyStaticTexts();
	shell.topbar = createTopbar();
	shell.menu = createMenu($('menu'));
	shell.tree = createTree($('tree'));
	wireDrawer();
	live.on('status', onStatus);
	live.on('link', state => shell.topbar.updateComm(live.status, state));
	live.on('event', event => { if (settingsMayHaveChanged(event)) loadSettings(); });
	session.on('change', onSessionChange);
	session.on('logout', onLogout);
	onLangChange(onLanguage);
	window.addEventListener('hashchange', onRoute);
	shell.topbar.updateComm(null, 'connecting');
	onRoute();
	const loggedIn = await session.start();
	if (loggedIn && !shell.started)
		await startApp();
	else if (!loggedIn)
		showLoggedOut();
}

boot();
