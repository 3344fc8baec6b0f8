// What the browser scenarios share. Each scenario (tests/browser/NAME.mjs) is
// run by a python driver (tests/integration/browser-NAME.py) that starts the
// real daemon and simulator and passes them in the environment:
//   BASE_URL        http://127.0.0.1:PORT of the daemon's web server
//   OUT_DIR         where screenshots and downloads go (created here)
//   POLL_INTERVAL   the daemon's serial.poll_interval, seconds
// and, per scenario, USER_NAME, PASSWORD, INITIAL_PASSWORD, SIM_CTL (the simulator's
// control command as a JSON array), CONFIG_FILE, TOPOLOGY.
// Results are printed as "ok - ..." / "not ok - ..." lines; the exit status
// is 1 when any check failed.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

function need(name) {
	const value = process.env[name];
	if (!value) {
		console.log(`not ok - environment variable ${name} is not set (run through tests/integration/browser-*.py)`);
		process.exit(1);
	}
	return value;
}

export const BASE_URL = need('BASE_URL').replace(/\/$/, '');
export const OUT_DIR = need('OUT_DIR');
export const POLL_S = Number(process.env.POLL_INTERVAL || 1);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
fs.mkdirSync(OUT_DIR, { recursive: true });

// Debian's Chromium; without the background-networking flags it floods the
// closed network of the test machines.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--no-first-run'];
export const DESKTOP = { viewport: { width: 1920, height: 1080 }, locale: 'en-US' };
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true,
	hasTouch: true, locale: 'en-US' };
const READY_TIMEOUT = 10000;

// ---- checks -----------------------------------------------------------------

let failures = 0;

export function log(text) {
	console.log(`# ${text}`);
}

export function check(cond, what) {
	if (!cond)
		failures++;
	console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
	return Boolean(cond);
}

let currentPage = null;   // the page a failed step's screenshot is taken of
const watches = [];       // every ConsoleWatch, for the messages of a failed step

// One named part of a scenario: an exception (a timeout, a missing element)
// fails it with its message and a screenshot, and the scenario goes on.
export async function step(name, fn) {
	log(`---- ${name}`);
	const started = Date.now();
	try {
		const value = await fn();
		log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		return value;
	} catch (e) {
		check(false, `${name}: ${firstLine(e)}`);
		for (const watch of watches)
			watch.report(name);
		if (currentPage && !currentPage.isClosed()) {
			const file = path.join(OUT_DIR, `failed-${slug(name)}.png`);
			await currentPage.screenshot({ path: file, fullPage: true }).catch(() => {});
			log(`screenshot of the failure: ${file}`);
		}
		return undefined;
	}
}

// A step the rest of the scenario needs (the login): when it fails, the
// scenario ends there.
export async function required(browser, name, fn) {
	const value = await step(name, fn);
	if (value === undefined) {
		log(`cannot go on without "${name}"`);
		await finish(browser);
	}
	return value;
}

function firstLine(e) {
	// Playwright colours its call logs: keep the text only.
	return String((e && e.message) || e).replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter(l => l.trim()).slice(0, 3).join(' / ');
}

export function slug(text) {
	return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export async function finish(browser) {
	if (browser)
		await browser.close().catch(() => {});
	console.log(`${failures ? 'FAIL' : 'PASS'}: ${failures} failed check(s)`);
	process.exit(failures ? 1 : 0);
}

// ---- browser ----------------------------------------------------------------

export async function launch() {
	return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// A page in a new context (own cookies, empty cache) with its console
// watched. options: DESKTOP (default) or PHONE, plus acceptDownloads etc.
export async function newPage(browser, options = DESKTOP) {
	const context = await browser.newContext({ acceptDownloads: true, ...options });
	const page = await context.newPage();
	page.setDefaultTimeout(READY_TIMEOUT);
	currentPage = page;
	return { context, page, console: new ConsoleWatch(page) };
}

export function usePage(page) {
	currentPage = page;
}

// Console errors, page errors (uncaught exceptions, CSP violations, failed
// resource loads, which Chromium reports as console errors) and missing
// translations, each with the label of the step that was running.
export class ConsoleWatch {
	constructor(page) {
		this.entries = [];
		this.allowed = [];
		this.label = 'start';
		page.on('console', msg => this.onConsole(msg));
		page.on('pageerror', err => this.add(`page error: ${firstLine(err)}`));
		watches.push(this);
	}

	// After a failed step: what the console said meanwhile, as comments.
	report(what) {
		for (const e of this.entries.splice(0))
			log(`console during "${what}" (${e.label}): ${e.text}`);
	}

	onConsole(msg) {
		const where = msg.location() && msg.location().url ? ` [${msg.location().url}]` : '';
		if (msg.type() === 'error')
			this.add(`console.error: ${msg.text()}${where}`);
		else if (msg.type() === 'warning' && msg.text().startsWith('i18n:'))
			this.add(`console.warn: ${msg.text()}`);
		else if (msg.type() === 'warning')
			log(`console.warn on ${this.label}: ${msg.text()}`);
	}

	add(text) {
		if (this.allowed.some(re => re.test(text))) {
			log(`expected on ${this.label}: ${text}`);
			return;
		}
		this.entries.push({ label: this.label, text });
	}

	// Runs fn with the messages matching one of the patterns expected (a 401
	// before logging in, a 403 the test provokes); they do not fail.
	async expecting(patterns, fn) {
		this.allowed.push(...patterns);
		try {
			return await fn();
		} finally {
			// Messages arrive a little after what caused them.
			await new Promise(resolve => setTimeout(resolve, 300));
			this.allowed = this.allowed.filter(re => !patterns.includes(re));
		}
	}

	// The messages since the last call, checked to be none.
	checkClean(what) {
		const got = this.entries.splice(0);
		return check(got.length === 0, `${what}: no console error` +
			(got.length ? `; got ${got.length}: ${got.map(e => `(${e.label}) ${e.text}`).join(' | ')}` : ''));
	}
}

// A failed resource load as Chromium words it, for ConsoleWatch.expecting().
export function failedLoad(status, pathRe) {
	return new RegExp(`status of ${status}\\b.*\\[${BASE_URL.replace(/[.:/]/g, '\\$&')}${pathRe}`);
}

// ---- pages: the hooks of docs/web-ui.md ("Hooks the browser tests rely on") ----

const PAGE_SECTION = '#page section[data-page]';

// Notes the page shown now, so that waitReady() waits for the next one
// (with {any: true}, the one shown now will do if it is ready).
export async function markPage(page, { any = false } = {}) {
	await page.evaluate(keep => {
		window.__ugOldSection = keep ? null : document.querySelector('#page section[data-page]');
	}, any);
}

// Navigates to ROUTE ("#/dashboard") and waits for the page's new root
// <section data-page> to say data-ready="true". Returns its data-page.
export async function openRoute(page, route, { reload = false, timeout = READY_TIMEOUT } = {}) {
	await markPage(page);
	if (reload) {
		// The address first (without a hashchange), then a real reload.
		await page.evaluate(r => { history.replaceState(null, '', r); }, route);
		await page.reload({ waitUntil: 'load' });
	} else {
		// Choosing the page shown already draws it again, as the menu does.
		await page.evaluate(r => {
			if (window.location.hash === r)
				window.dispatchEvent(new HashChangeEvent('hashchange'));
			else
				window.location.hash = r;
		}, route);
	}
	return waitReady(page, route, { timeout });
}

// Waits for a root section, other than the one shown before, that is ready
// (or that failed: data-ready="error", an unknown route, an error box).
export async function waitReady(page, route, { timeout = READY_TIMEOUT } = {}) {
	let outcome;
	try {
		outcome = await page.waitForFunction(() => {
			const s = document.querySelector('#page section[data-page]');
			if (!s || s === window.__ugOldSection)
				return false;
			if (s.dataset.ready === 'true')
				return 'ready';
			if (s.dataset.ready === 'error' || s.dataset.page === 'not-found')
				return `data-page=${s.dataset.page} data-ready=${s.dataset.ready}: ${s.textContent.trim().slice(0, 200)}`;
			return false;
		}, null, { timeout, polling: 50 }).then(handle => handle.jsonValue());
	} catch {
		const state = await page.evaluate(() => {
			const s = document.querySelector('#page section[data-page]');
			return s ? `data-page=${s.dataset.page} data-ready=${s.dataset.ready}` +
				(s === window.__ugOldSection ? ' (still the previous page\'s section)' : '')
				: 'no #page section[data-page]';
		}).catch(e => `page gone: ${firstLine(e)}`);
		throw new Error(`${route}: the page did not reach data-ready="true" within ${timeout} ms (${state})`);
	}
	if (outcome !== 'ready')
		throw new Error(`${route}: the page failed (${outcome})`);
	return page.$eval(PAGE_SECTION, s => s.dataset.page);
}

// Fills and submits #login-dialog; waits for it to close.
export async function loginDialog(page, user, password) {
	const dialog = page.locator('#login-dialog');
	await dialog.waitFor({ state: 'visible' });
	await page.fill('#login-user', user);
	await page.fill('#login-password', password);
	await dialog.locator('button[type=submit]').click();
	await dialog.waitFor({ state: 'hidden' });
}

// Fills and submits #password-dialog.
export async function passwordDialog(page, oldPassword, newPassword) {
	const dialog = page.locator('#password-dialog');
	await dialog.waitFor({ state: 'visible' });
	// The old password may be prefilled from the login that just happened.
	if (await page.locator('#pw-old').isEditable() && !(await page.inputValue('#pw-old')))
		await page.fill('#pw-old', oldPassword);
	await page.fill('#pw-new', newPassword);
	await page.fill('#pw-confirm', newPassword);
	await dialog.locator('button[type=submit]').click();
	await dialog.waitFor({ state: 'hidden' });
}

// A logged-in page on ROUTE (default: home), the login done through the
// dialog the way a user does it. Returns {context, page, console}.
export async function loggedIn(browser, user, password, { route = '', options = DESKTOP } = {}) {
	const opened = await newPage(browser, options);
	const { page, console: watch } = opened;
	watch.label = `login of ${user}`;
	await watch.expecting([failedLoad(401, '/api/v1/')], async () => {
		await page.goto(`${BASE_URL}/${route}`);
		await loginDialog(page, user, password);
		await markPage(page, { any: true });
		await waitReady(page, route || 'home');
	});
	watch.checkClean(`login of ${user}`);
	await closeToasts(page);
	return opened;
}

// A first login through the dialogs: USER with the password an admin set
// (or the initial one), the forced change to NEW, and the login again that
// the change requires (done by the UI or asked for). Ends on a ready page.
export async function firstLogin(page, watch, user, initial, newPassword) {
	await watch.expecting([failedLoad(401, '/api/v1/')], async () => {
		await page.goto(BASE_URL + '/');
		await loginDialog(page, user, initial);
		check(true, `${user}: the login dialog takes the first password`);
		await markPage(page);
		await passwordDialog(page, initial, newPassword);
		check(true, `${user}: the password dialog takes the new password`);
		const next = await firstOf({
			dialog: page.locator('#login-dialog').waitFor({ state: 'visible', timeout: READY_TIMEOUT }),
			ready: waitReady(page, 'home after the change'),
		});
		if (next === 'dialog') {
			log(`${user}: the UI asks for the new password`);
			await loginDialog(page, user, newPassword);
			await markPage(page, { any: true });
			await waitReady(page, 'home after the change');
		} else {
			check(next === 'ready', `${user}: after the change the UI logs in again or shows the login dialog`);
		}
	});
	const session = await page.evaluate(() => fetch('/api/v1/session').then(r => r.json()));
	const { user: who, role, must_change: mustChange } = session;
	check(who === user && mustChange === false,
		`${user}: logged in with the new password, no change pending (${JSON.stringify({ who, role, mustChange })})`);
	return session;
}

// Opens the user menu (#user-button) and clicks its log-out entry.
export async function logout(page) {
	await page.click('#user-button');
	await page.getByRole('button', { name: /log ?out|sign ?out|déconnexion|se déconnecter/i })
		.or(page.getByRole('menuitem', { name: /log ?out|sign ?out|déconnexion|se déconnecter/i }))
		.first().click();
}

// The notices in the corner (the days-left one after a login) would cover
// part of every screenshot: close them once they showed.
export async function closeToasts(page) {
	const close = page.locator('#toasts .toast-close');
	if (!(await close.first().waitFor({ timeout: 2000 }).then(() => true, () => false)))
		return;
	while (await close.count())
		await close.first().click();
}

// ---- what the page shows -----------------------------------------------------

// The number #alarm-count shows (0 when it is empty or hidden).
export async function alarmCount(page) {
	const text = await page.locator('#alarm-count').textContent();
	const n = parseInt(String(text).replace(/\D+/g, ''), 10);
	return Number.isNaN(n) ? 0 : n;
}

// Whether the element shows inside the viewport (a drawer slid off the
// screen is "visible" to Playwright but not to a user).
export async function onScreen(locator) {
	if (!(await locator.isVisible()))
		return false;
	const box = await locator.boundingBox();
	const view = locator.page().viewportSize();
	return Boolean(box) && box.x < view.width && box.x + box.width > 0 && box.y < view.height &&
		box.y + box.height > 0;
}

// Every in-application link ("#/...") the page offers now (menu, tree-view,
// top bar), without duplicates.
export async function appLinks(page) {
	const hrefs = await page.$$eval('a[href^="#/"]', links => links.map(a => a.getAttribute('href')));
	return [...new Set(hrefs)];
}

// A full-page screenshot in OUT_DIR; the path is printed.
export async function screenshot(page, name) {
	const file = path.join(OUT_DIR, `${name}.png`);
	// No hover highlight from the last click; let the last live update settle.
	await page.mouse.move(0, page.viewportSize().height - 1);
	await page.waitForTimeout(300);
	const started = Date.now();
	await page.screenshot({ path: file, fullPage: true });
	log(`screenshot: ${file} (${Date.now() - started} ms)`);
	return file;
}

// ---- the API and the simulator -------------------------------------------------

// A JSON API call from inside the page, with its session and CSRF token (as
// the application would make it). Returns {status, body}.
export async function apiInPage(page, method, apiPath, body) {
	return page.evaluate(async ({ method, apiPath, body }) => {
		const session = await fetch('/api/v1/session').then(r => r.json());
		const r = await fetch('/api/v1' + apiPath, {
			method,
			headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf || '' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		let json = null;
		try {
			json = await r.json();
		} catch {
			json = null;
		}
		return { status: r.status, body: json };
	}, { method, apiPath, body });
}

// The simulator's control command (upsgate-sim ctl --link LINK ...).
export function simCtl(...args) {
	const argv = JSON.parse(need('SIM_CTL'));
	return execFileSync(argv[0], [...argv.slice(1), ...args.map(String)], { encoding: 'utf8', timeout: 10000 }).trim();
}

// The name of the first of {name: promise} to resolve; the others' later
// failures are ignored. null when all fail.
export function firstOf(named) {
	return new Promise(resolve => {
		let pending = Object.keys(named).length;
		for (const [name, promise] of Object.entries(named))
			promise.then(() => resolve(name), () => { if (--pending === 0) resolve(null); });
	});
}

