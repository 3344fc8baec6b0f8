// A setting changed in a management form is saved to the configuration file
// and shown after a reload and in the top bar; a read-only user (created by
// the admin, first login through the dialogs) sees the management pages with
// every setting disabled, no save, clear or acknowledge button, and the API
// refuses what it tries anyway.
// Env: PASSWORD (admin's), CONFIG_FILE.
import fs from 'node:fs';
import {
	apiInPage, appLinks, check, failedLoad, finish, firstLogin, launch, log, loggedIn, newPage, openRoute,
	required, screenshot, step, usePage,
} from './lib.mjs';

const PASSWORD = process.env.PASSWORD;
const CONFIG_FILE = process.env.CONFIG_FILE;
const LOCATION = 'Salle serveurs B2 – baie 7';
const VIEWER = 'viewer';
const VIEWER_FIRST = 'F1rst!viewer#x';
const VIEWER_PASSWORD = 'Vi3wer!only#2026';
const SETTING_INPUTS = '#page input[name*="."], #page select[name*="."], #page textarea[name*="."]';
const MANAGEMENT = ['#/admin/time', '#/admin/gateway', '#/admin/services', '#/admin/users', '#/admin/auth',
	'#/admin/firewall', '#/admin/links', '#/admin/language', '#/admin/serial'];

const browser = await launch();
const admin = await required(browser, 'login as admin', () => loggedIn(browser, 'admin', PASSWORD));
const { page } = admin;

function configHas(value) {
	const text = fs.readFileSync(CONFIG_FILE, 'utf8');
	return text.includes(`"${value}"`);
}

await step('a setting changed in #/admin/gateway persists', async () => {
	admin.console.label = '#/admin/gateway';
	await openRoute(page, '#/admin/gateway');
	const input = page.locator('#page [name="system.location"]');
	check(await input.count() === 1, '#/admin/gateway: one input named system.location');
	await input.fill(LOCATION);
	// The save button of the form that holds the input.
	const form = page.locator('#page form').filter({ has: input });
	const save = (await form.count() ? form : page.locator('#page')).locator('button[data-action=save]').first();
	await save.click();
	const status = (await form.count() ? form : page.locator('#page')).locator('.form-status').first();
	// "Saved: {keys}." in the language file: the words before the keys.
	const saved = await page.evaluate(() => fetch('/lang/en.json').then(r => r.json()).then(l => l.strings['form.applied']));
	check(typeof saved === 'string', 'lang/en.json has form.applied, the form\'s result line');
	const savedWord = String(saved).split('{')[0].replace(/[\s:.!…]+$/, '');
	// The line may say "Saving…" first.
	await page.waitForFunction(([el, word]) => el && el.textContent.includes(word),
		[await status.elementHandle(), savedWord], { timeout: 5000 }).catch(() => {});
	const said = (await status.textContent() || '').trim();
	check(said.includes(savedWord), `.form-status says "${savedWord}" after saving ("${said}")`);
	const written = await new Promise(resolve => {
		const end = Date.now() + 5000;
		const poll = () => (configHas(LOCATION) ? resolve(true) : Date.now() > end ? resolve(false) : setTimeout(poll, 100));
		poll();
	});
	check(written, `the configuration file ${CONFIG_FILE} holds location "${LOCATION}"`);
	const live = (await page.locator('#system-location').textContent() || '').trim();
	log(`top bar location before any reload: "${live}"`);

	await openRoute(page, '#/admin/gateway', { reload: true });
	const after = await page.inputValue('#page [name="system.location"]');
	check(after === LOCATION, `after a reload #/admin/gateway shows the location ("${after}")`);
	const top = (await page.locator('#system-location').textContent() || '').trim();
	check(top.includes(LOCATION), `the top bar #system-location shows the new location ("${top}")`);
	await screenshot(page, 'admin-gateway');
	admin.console.checkClean('#/admin/gateway');
});

// The settings each management page offers the admin, to compare with
// what a read-only user gets.
const adminInputs = {};
await step('the admin\'s management pages', async () => {
	for (const route of MANAGEMENT) {
		admin.console.label = route;
		await openRoute(page, route);
		adminInputs[route] = await page.$$eval(SETTING_INPUTS, els => els.map(e => e.name));
		log(`${route} (admin): ${adminInputs[route].length} setting inputs`);
	}
	// The buttons the read-only user must not get, there for the admin.
	admin.console.label = '#/logs/clear';
	await openRoute(page, '#/logs/clear');
	const clears = await page.locator('#page button[data-action=clear]').count();
	check(clears > 0, `#/logs/clear (admin): clear buttons button[data-action=clear] (${clears})`);
	admin.console.checkClean('the admin\'s management pages');
});

await step('the admin creates a read-only user', async () => {
	const r = await apiInPage(page, 'PUT', `/users/${VIEWER}`, { role: 'read-only', password: VIEWER_FIRST });
	check(r.status === 200 && r.body.role === 'read-only' && r.body.must_change === true,
		`PUT /users/${VIEWER} as read-only (${r.status} ${JSON.stringify(r.body)})`);
});

const viewer = await newPage(browser);
const vpage = viewer.page;

await step('the read-only user logs in and must change its password', async () => {
	viewer.console.label = `first login of ${VIEWER}`;
	const session = await firstLogin(vpage, viewer.console, VIEWER, VIEWER_FIRST, VIEWER_PASSWORD);
	check(session.role === 'read-only', `${VIEWER}'s session is read-only (${session.role})`);
	viewer.console.checkClean(`first login of ${VIEWER}`);
});

await step('read-only: every setting disabled, no save button', async () => {
	const links = (await appLinks(vpage)).filter(r => r.startsWith('#/admin/'));
	for (const route of [...new Set([...MANAGEMENT, ...links])]) {
		viewer.console.label = route;
		try {
			await openRoute(vpage, route);
		} catch (e) {
			check(false, e.message.split('\n')[0]);
			continue;
		}
		const inputs = await vpage.$$eval(SETTING_INPUTS, els => els.map(e => ({ name: e.name, disabled: e.disabled })));
		const enabled = inputs.filter(i => !i.disabled).map(i => i.name);
		const hidden = (adminInputs[route] || []).filter(name => !inputs.some(i => i.name === name));
		check(hidden.length === 0, `${route} (read-only): the settings the admin sees are shown` +
			(hidden.length ? `; missing: ${hidden.join(', ')}` : ` (${inputs.length})`));
		check(enabled.length === 0, `${route} (read-only): all ${inputs.length} setting inputs disabled` +
			(enabled.length ? `; enabled: ${enabled.join(', ')}` : ''));
		const saves = await vpage.locator('#page button[data-action=save]').count();
		check(saves === 0, `${route} (read-only): no save button (found ${saves})`);
		const buttons = await vpage.$$eval('#page button:not([disabled])', els => els.map(e => e.textContent.trim()));
		const others = await vpage.$$eval('#page input:not([disabled]), #page select:not([disabled]), #page textarea:not([disabled])',
			els => els.map(e => e.name || e.id || e.type));
		log(`${route} (read-only): enabled buttons: ${buttons.map(b => `"${b}"`).join(', ') || 'none'}; ` +
			`other enabled inputs: ${others.join(', ') || 'none'}`);
		viewer.console.checkClean(`${route} (read-only)`);
	}
	await openRoute(vpage, '#/admin/gateway');
	const value = await vpage.inputValue('#page [name="system.location"]');
	check(value === LOCATION, `read-only: #/admin/gateway shows the saved location ("${value}")`);
	await screenshot(vpage, 'admin-gateway-read-only');
});

await step('read-only: no clear-log or acknowledge button', async () => {
	viewer.console.label = '#/logs/clear';
	await openRoute(vpage, '#/logs/clear');
	const clears = await vpage.locator('#page button[data-action=clear]').count();
	check(clears === 0, `#/logs/clear (read-only): no clear button button[data-action=clear] (found ${clears})`);
	const buttons = await vpage.$$eval('#page button:not([disabled])', els => els.map(e => e.textContent.trim()));
	log(`#/logs/clear (read-only): enabled buttons: ${buttons.map(b => `"${b}"`).join(', ') || 'none'}`);
	const csv = await vpage.locator('#page a[data-action=csv]').count();
	check(csv > 0, `#/logs/clear (read-only): the CSV links stay (${csv})`);
	await screenshot(vpage, 'logs-clear-read-only');
	viewer.console.checkClean('#/logs/clear (read-only)');
	viewer.console.label = '#/alarms';
	await openRoute(vpage, '#/alarms');
	const acks = await vpage.locator('#page button[data-action=ack]').count();
	check(acks === 0, `#/alarms (read-only): no acknowledge button button[data-action=ack] (found ${acks})`);
	viewer.console.checkClean('#/alarms (read-only)');
});

await step('read-only: the API refuses changes made from the page', async () => {
	viewer.console.label = 'forbidden requests';
	await viewer.console.expecting([failedLoad(403, '/api/v1/')], async () => {
		for (const [method, path, body] of [['PUT', '/settings', { 'system.location': 'hacked' }],
			['DELETE', '/logs/ups', undefined], ['POST', '/alarms/ack', undefined]]) {
			const r = await apiInPage(vpage, method, path, body);
			check(r.status === 403 && r.body && r.body.error && r.body.error.code === 'forbidden',
				`read-only ${method} ${path} from the page: 403 forbidden (${r.status} ${JSON.stringify(r.body)})`);
		}
	});
	const settings = await apiInPage(vpage, 'GET', '/settings');
	check(settings.body && settings.body['system.location'] === LOCATION, 'nothing changed the location');
	viewer.console.checkClean('forbidden requests');
});

usePage(page);
await finish(browser);
