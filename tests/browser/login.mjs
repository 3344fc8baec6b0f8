// The front door in a browser: the first login with the initial password,
// the forced change, the days-left notice; the size of the first page load;
// logging out; the phone layout (menu drawer, no horizontal overflow).
// Env: INITIAL_PASSWORD, NEW_PASSWORD.
import {
	BASE_URL, DESKTOP, PHONE, check, failedLoad, finish, firstLogin, launch, log, loggedIn, logout, markPage,
	newPage, onScreen, openRoute, screenshot, step, usePage, waitReady,
} from './lib.mjs';

const INITIAL = process.env.INITIAL_PASSWORD;
const NEW = process.env.NEW_PASSWORD;
const SIZE_LIMIT = 300 * 1000;     // bytes, compressed, issue 5

const browser = await launch();
const first = await newPage(browser);
const { page } = first;

// The days-left notice of §11.5 ("a second popup indicates the remaining
// days"): its text if one shows the number of days (90 for a new password).
async function daysLeftNotice(p) {
	const notice = p.locator('#dialogs, #toasts, #banner').getByText(/\b(89|90)\b/).first();
	try {
		await notice.waitFor({ state: 'visible', timeout: 2000 });
		return (await notice.textContent()).trim();
	} catch {
		return null;
	}
}

await step('first login with the initial password, forced change', async () => {
	first.console.label = 'first login';
	await firstLogin(page, first.console, 'admin', INITIAL, NEW);
	const notice = await daysLeftNotice(page);
	check(notice, `after the login a notice gives the days left before the password expires ("${notice}")`);
	const home = await page.$eval('#page section[data-page]', s => s.dataset.page);
	log(`home page: ${home}`);
	first.console.checkClean('first login');
});

await step('first page load under 300 KB', async () => {
	// A fresh context with the session cookie: an empty cache, as after a login.
	const context = await browser.newContext({ ...DESKTOP, storageState: await first.context.storageState() });
	const p = await context.newPage();
	usePage(p);
	const sizes = [];
	p.on('requestfinished', req => sizes.push(req.sizes().then(s => ({ url: req.url(), ...s }))));
	await p.goto(BASE_URL + '/');
	await markPage(p, { any: true });
	await waitReady(p, 'home');
	await p.waitForTimeout(1000);
	const all = await Promise.all(sizes);
	const body = all.reduce((sum, s) => sum + s.responseBodySize, 0);
	const headers = all.reduce((sum, s) => sum + s.responseHeadersSize, 0);
	const biggest = [...all].sort((a, b) => b.responseBodySize - a.responseBodySize).slice(0, 5)
		.map(s => `${s.url.replace(BASE_URL, '')} ${s.responseBodySize}`).join(', ');
	log(`first page load: ${all.length} requests, ${body} bytes of bodies (as transferred), ` +
		`${headers} bytes of headers; biggest: ${biggest}`);
	check(all.length > 0 && body < SIZE_LIMIT,
		`first page load transfers ${(body / 1000).toFixed(1)} KB of bodies, under ${SIZE_LIMIT / 1000} KB`);
	await context.close();
	usePage(page);
});

await step('log out: the pages ask for a login again', async () => {
	first.console.label = 'log out';
	await first.console.expecting([failedLoad(401, '/api/v1/')], async () => {
		await logout(page);
		await page.locator('#login-dialog').waitFor({ state: 'visible' });
		check(true, 'after logging out the login dialog shows');
		const r = await page.evaluate(() => fetch('/api/v1/session').then(res => res.status));
		check(r === 401, `the session is gone after logging out (GET /session: ${r})`);
		await page.goto(BASE_URL + '/#/dashboard');
		await page.locator('#login-dialog').waitFor({ state: 'visible' });
		check(true, 'opening #/dashboard afresh asks for a login');
		const ready = await page.locator('#page section[data-page][data-ready="true"]').count();
		log(`pages ready behind the login dialog: ${ready}`);
	});
	first.console.checkClean('log out');
});

await step('phone: the menu is a drawer, no horizontal overflow', async () => {
	const phone = await loggedIn(browser, 'admin', NEW, { options: PHONE });
	const p = phone.page;
	const drawer = p.locator('#drawer-button');
	check(await drawer.isVisible(), 'the drawer button #drawer-button is visible at 390 px');
	check(!(await onScreen(p.locator('#menu'))), 'the menu #menu is off the screen until the drawer opens');
	await drawer.click();
	await p.waitForTimeout(400);    // the drawer slides in
	check(await onScreen(p.locator('#menu')), 'the menu #menu shows once the drawer button is pressed');
	check(await drawer.getAttribute('aria-expanded') === 'true', 'the drawer button says aria-expanded="true" when open');
	const link = p.locator('#menu a[href="#/dashboard"]');
	check(await link.isVisible(), 'the drawer shows the menu with its dashboard link');
	await screenshot(p, 'phone-menu');
	await markPage(p);
	await link.click();
	await waitReady(p, '#/dashboard');
	await p.waitForTimeout(400);
	check(!(await onScreen(p.locator('#menu'))), 'the drawer closes when a page is chosen');
	for (const route of ['#/', '#/dashboard', '#/logs/device', '#/admin/gateway']) {
		phone.console.label = `phone ${route}`;
		await openRoute(p, route);
		const widths = await p.evaluate(() => ({
			doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth,
		}));
		check(widths.doc <= widths.view && widths.body <= widths.view,
			`phone ${route}: no horizontal overflow (document ${widths.doc}, body ${widths.body}, viewport ${widths.view})`);
		phone.console.checkClean(`phone ${route}`);
	}
	await screenshot(p, 'phone-admin-gateway');
	await phone.context.close();
});

await finish(browser);
