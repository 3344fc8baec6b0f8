// Every page of the route table (docs/web-ui.md) and every link the menu and
// the tree-view offer, for one topology: each must reach data-ready="true"
// with no console error. Screenshots of the main pages; with TOPOLOGY
// "single", the switch to French too.
// Env: PASSWORD (admin's), TOPOLOGY (single, parallel:4, sts), SHOTS=all for
// a screenshot of every page.
import {
	POLL_S, appLinks, check, finish, launch, log, loggedIn, markPage, openRoute, required, screenshot, simCtl,
	slug, step, waitReady,
} from './lib.mjs';

const PASSWORD = process.env.PASSWORD;
const TOPOLOGY = process.env.TOPOLOGY || 'single';
const ALL_SHOTS = process.env.SHOTS === 'all';

// The pages every device has (docs/web-ui.md, "Routes").
const COMMON = ['#/alarms', '#/dashboard', '#/realtime', '#/history/graph?log=history',
	'#/history/graph?log=extended', '#/history/table?log=history', '#/history/table?log=extended',
	'#/logs/device', '#/logs/gateway', '#/logs/clear', '#/admin/time', '#/admin/gateway',
	'#/admin/services', '#/admin/users', '#/admin/auth', '#/admin/firewall', '#/admin/links',
	'#/admin/language', '#/admin/serial'];
// The gateway's own pages do not depend on the device: the single UPS run
// covers them, the other topologies only the device's pages.
const DEVICE_INDEPENDENT = /^#\/(admin|history\/table|logs\/(gateway|clear))/;

const SYNOPTIC = {
	single: { home: '#/synoptic/unit/0', load: 'inverter', state: /inverter/i },
	'parallel:4': { home: '#/synoptic/system', load: 'inverter', state: /inverter/i },
	sts: { home: '#/synoptic/sts', load: 'source1', state: /source\s*1/i },
}[TOPOLOGY];

// Screenshots the issue asks for, by route.
const SHOTS = {
	single: { '#/synoptic/unit/0': 'synoptic-unit', '#/dashboard': 'dashboard',
		'#/history/graph?log=history': 'history-graph', '#/logs/device': 'logs-device' },
	'parallel:4': { '#/synoptic/system': 'synoptic-system-parallel4', '#/synoptic/unit/2': 'synoptic-unit-parallel4-unit2' },
	sts: { '#/synoptic/sts': 'synoptic-sts', '#/dashboard': 'dashboard-sts' },
}[TOPOLOGY];

const browser = await launch();
const { page, console: watch } = await required(browser, 'login as admin', () => loggedIn(browser, 'admin', PASSWORD));
const headings = {};

// #/params/N/SECTION for every level and the sections the application
// itself says that level has (js/params-table.js).
async function paramsRoutes() {
	const perLevel = await page.evaluate(async () => {
		const { sectionsFor } = await import('/js/params-table.js');
		const status = await fetch('/api/v1/status').then(r => r.json());
		return status.levels.map((level, i) => sectionsFor(status, i).map(section => `#/params/${i}/${section}`));
	});
	check(perLevel.length > 0 && perLevel.every(routes => routes.length > 0),
		`every level has parameter tables (${perLevel.map(routes => routes.length).join(', ')})`);
	return perLevel.flat();
}

async function checkSynoptic(route) {
	const svg = page.locator('#page svg.synoptic');
	check(await svg.count() === 1, `${route}: one svg.synoptic`);
	const load = await svg.getAttribute('data-load');
	const state = (await page.locator('#synoptic-state').textContent() || '').trim();
	check(load === SYNOPTIC.load, `${route}: svg.synoptic data-load="${SYNOPTIC.load}" on mains (got "${load}")`);
	check(SYNOPTIC.state.test(state), `${route}: #synoptic-state says ${SYNOPTIC.state} ("${state}")`);
}

await step(`home page of ${TOPOLOGY}`, async () => {
	const hash = await page.evaluate(() => location.hash);
	const name = await page.$eval('#page section[data-page]', s => s.dataset.page);
	check(hash === SYNOPTIC.home, `#/ goes to ${SYNOPTIC.home} for ${TOPOLOGY} (went to ${hash}, data-page ${name})`);
	await checkSynoptic(hash);
	if (TOPOLOGY === 'parallel:4') {
		const units = await page.locator('#page svg.synoptic a[href^="#/synoptic/unit/"]').count();
		check(units === 4, `#/synoptic/system draws the 4 units as links to their synoptics (${units})`);
		await markPage(page);
		await page.locator('#page svg.synoptic a[href="#/synoptic/unit/3"]').click();
		await waitReady(page, '#/synoptic/unit/3 from the system synoptic');
		check(await page.evaluate(() => location.hash) === '#/synoptic/unit/3', 'a unit of the system synoptic opens its unit synoptic');
	}
});

await step(`every page of ${TOPOLOGY}`, async () => {
	let routes = [SYNOPTIC.home, ...await paramsRoutes(), ...COMMON, ...await appLinks(page)];
	if (TOPOLOGY === 'parallel:4')
		routes.push('#/synoptic/unit/1', '#/synoptic/unit/2', '#/synoptic/unit/3', '#/synoptic/unit/4');
	if (TOPOLOGY !== 'single')
		routes = routes.filter(r => !DEVICE_INDEPENDENT.test(r));
	routes = [...new Set(routes)].filter(r => r !== '#/');
	log(`${routes.length} routes: ${routes.join(' ')}`);
	for (const route of routes) {
		watch.label = route;
		try {
			const name = await openRoute(page, route);
			headings[route] = (await page.locator('#page h1').first().textContent() || '').trim();
			log(`${route}: ready (data-page="${name}", heading "${headings[route]}")`);
			if (SHOTS[route] || ALL_SHOTS)
				await screenshot(page, SHOTS[route] || `page-${slug(route)}`);
		} catch (e) {
			check(false, e.message.split('\n')[0]);
			await screenshot(page, `failed-${slug(route)}`);
		}
		watch.checkClean(route);
	}
	for (const [route, name] of Object.entries(SHOTS)) {
		if (!routes.includes(route))
			check(false, `screenshot ${name}: ${route} is not among the pages`);
	}
});

if (TOPOLOGY === 'sts') {
	await step('source 1 lost: the STS synoptic shows the load on source 2 within 2 poll cycles', async () => {
		watch.label = 'STS source 1 lost';
		await openRoute(page, SYNOPTIC.home);
		const limit = 2 * POLL_S * 1000 + 500;
		const started = Date.now();
		simCtl('ac-fail');
		const moved = await page.waitForFunction(() => document.querySelector('#page svg.synoptic')?.dataset.load === 'source2',
			null, { timeout: limit + 10000, polling: 'raf' }).then(() => true, () => false);
		const took = Date.now() - started;
		const state = (await page.locator('#synoptic-state').textContent() || '').trim();
		check(moved && took <= limit, `svg.synoptic data-load="source2" ${took} ms after ac-fail (limit ${limit} ms); ` +
			`#synoptic-state "${state}"`);
		check(/source\s*2/i.test(state), `#synoptic-state names source 2 ("${state}")`);
		await screenshot(page, 'synoptic-sts-source2');
		simCtl('ac-restore');
		watch.checkClean('STS source 1 lost');
	});
}

if (TOPOLOGY === 'single') {
	await step('French', async () => {
		watch.label = 'French';
		const [en, fr] = await page.evaluate(() => Promise.all(['en', 'fr'].map(
			code => fetch(`/lang/${code}.json`).then(r => r.json()))));
		const missing = Object.keys(en.strings).filter(k => !(k in fr.strings));
		check(missing.length === 0, `lang/fr.json has every string of lang/en.json` +
			(missing.length ? ` (missing ${missing.length}: ${missing.slice(0, 20).join(', ')})` : ''));
		const stateEn = await openRoute(page, SYNOPTIC.home).then(() => page.locator('#synoptic-state').textContent());
		const menuLink = page.locator('#menu a[href="#/dashboard"]');
		const menuEn = (await menuLink.textContent()).trim();

		await page.selectOption('#lang-select', 'fr');
		await page.waitForFunction(() => document.documentElement.lang === 'fr', null, { timeout: 5000 });
		await openRoute(page, '#/dashboard');
		const frenchPage = async when => {
			const menu = (await menuLink.textContent()).trim();
			check(menu === fr.strings['menu.dashboard'] && menu !== menuEn,
				`${when}: the menu's dashboard link is in French ("${menu}", English "${menuEn}")`);
			const heading = (await page.locator('#page h1').first().textContent()).trim();
			const values = new Set(Object.values(fr.strings));
			check(values.has(heading) && heading !== headings['#/dashboard'],
				`${when}: the dashboard heading is in French ("${heading}", English "${headings['#/dashboard']}")`);
			check(await page.evaluate(() => document.documentElement.lang) === 'fr', `${when}: <html lang="fr">`);
			check(await page.inputValue('#lang-select') === 'fr', `${when}: #lang-select shows fr`);
		};
		await frenchPage('after choosing French');
		await screenshot(page, 'dashboard-fr');
		await openRoute(page, '#/dashboard', { reload: true });
		await frenchPage('after a reload');
		await openRoute(page, SYNOPTIC.home);
		const stateFr = (await page.locator('#synoptic-state').textContent()).trim();
		check(stateFr && stateFr !== stateEn.trim(),
			`the synoptic's state line is translated ("${stateFr}", English "${stateEn.trim()}")`);
		await screenshot(page, 'synoptic-unit-fr');
		watch.checkClean('French');
	});
}

await finish(browser);
