// An AC failure seen by a read-write user: the unit synoptic turns to
// "on battery" within 2 poll cycles of the simulator's ac-fail, the alarm
// counter rises and flashes, the event is in the UPS event log, the
// acknowledgement stops the flashing; the log's CSV export.
// Env: USER_NAME, PASSWORD (a read-write account), SIM_CTL, POLL_INTERVAL.
import fs from 'node:fs';
import path from 'node:path';
import {
	OUT_DIR, POLL_S, alarmCount, apiInPage, check, finish, launch, log, loggedIn, openRoute, required, screenshot,
	simCtl, step,
} from './lib.mjs';

const USER = process.env.USER_NAME;
const PASSWORD = process.env.PASSWORD;
const MARGIN_MS = 500;        // the browser's share: SSE delivery and drawing
const LIMIT_MS = 2 * POLL_S * 1000 + MARGIN_MS;
const ACK = '#page button[data-action=ack]';

const browser = await launch();
const { page, console: watch } = await required(browser, `login as ${USER}`,
	() => loggedIn(browser, USER, PASSWORD, { route: '#/synoptic/unit/0' }));
let failedAt = 0;
let countBefore = 0;
const startedS = Math.floor(Date.now() / 1000);

// The alarm shortcut's button (the element around #alarm-count) says
// data-new="true" while an unacknowledged alarm flashes.
function flashing() {
	return page.evaluate(() => {
		const button = document.getElementById('alarm-count').closest('button, a');
		return button ? button.dataset.new === 'true' : null;
	});
}

await step('on mains before the failure', async () => {
	watch.label = 'synoptic on mains';
	const load = await page.getAttribute('#page svg.synoptic', 'data-load');
	check(load === 'inverter', `unit synoptic: data-load="inverter" before the failure (got "${load}")`);
	countBefore = await alarmCount(page);
	log(`#alarm-count before: ${countBefore}`);
	check(await flashing() === false, 'the alarm shortcut does not flash before the failure');
	watch.checkClean('synoptic on mains');
});

await step('AC failure: the synoptic shows the load on battery within 2 poll cycles', async () => {
	watch.label = 'AC failure';
	failedAt = Date.now();
	simCtl('ac-fail');
	let state = '';
	try {
		await page.waitForFunction(() => {
			const svg = document.querySelector('#page svg.synoptic');
			const words = document.getElementById('synoptic-state');
			return svg && svg.dataset.load === 'battery' && words && /battery/i.test(words.textContent);
		}, null, { timeout: LIMIT_MS + 10000, polling: 'raf' });
	} catch {
		state = await page.evaluate(() => `data-load="${document.querySelector('#page svg.synoptic')?.dataset.load}"` +
			` #synoptic-state "${document.getElementById('synoptic-state')?.textContent.trim()}"`);
	}
	const took = Date.now() - failedAt;
	check(!state, `svg.synoptic data-load="battery" and #synoptic-state mentions the battery after ac-fail${state ? ` (still ${state})` : ''}`);
	check(!state && took <= LIMIT_MS,
		`...within 2 poll cycles of ${POLL_S} s + ${MARGIN_MS} ms: ${took} ms (limit ${LIMIT_MS} ms)`);
	log(`#synoptic-state: "${(await page.locator('#synoptic-state').textContent()).trim()}"`);
	await screenshot(page, 'synoptic-unit-on-battery');
	watch.checkClean('AC failure');
});

await step('the alarm counter rises and flashes', async () => {
	watch.label = 'alarm counter';
	const risen = await page.waitForFunction(before => {
		const n = parseInt((document.getElementById('alarm-count').textContent || '').replace(/\D+/g, ''), 10);
		return n > before ? n : false;
	}, countBefore, { timeout: 2 * POLL_S * 1000 + 5000 }).then(h => h.jsonValue(), () => null);
	const alarms = await apiInPage(page, 'GET', '/alarms');
	const total = alarms.body && alarms.body.alarm_counts ? alarms.body.alarm_counts.total : null;
	check(risen !== null, `#alarm-count rises from ${countBefore} (now ${risen ?? await alarmCount(page)}; the API counts ${total})`);
	check(risen === total, `#alarm-count shows the API's count of active alarms (${risen} vs ${total})`);
	check(await flashing() === true, 'the alarm shortcut flashes (data-new="true") on the new alarm');
	watch.checkClean('alarm counter');
});

await step('the event is in the UPS event log; CSV export', async () => {
	watch.label = '#/logs/device';
	const since = failedAt - 1000;
	const events = await apiInPage(page, 'GET', `/logs/ups?size=50&from=${Math.floor(since / 1000)}`);
	const raised = (events.body && events.body.rows || []).filter(r => r.active && r.t >= since);
	check(raised.length > 0, `the daemon logged the failure's events (${raised.map(r => r.text).join('; ')})`);
	await openRoute(page, '#/logs/device');
	const table = page.locator('#page table');
	check(await table.count() >= 1 && await page.locator('#page table caption').count() >= 1,
		'#/logs/device: a <table> with a <caption>');
	const shown = await table.first().innerText();
	const missing = raised.filter(r => !shown.includes(r.text));
	check(raised.length > 0 && missing.length === 0,
		`#/logs/device shows the failure's events${missing.length ? ` (missing: ${missing.map(r => r.text).join('; ')})` : ''}`);
	await screenshot(page, 'logs-device-after-ac-fail');

	const link = page.locator('#page a[data-action=csv]').first();
	check(await link.count() === 1, '#/logs/device: a CSV link a[data-action=csv]');
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	const file = path.join(OUT_DIR, download.suggestedFilename() || 'ups.csv');
	await download.saveAs(file);
	log(`downloaded ${file}`);
	const text = fs.readFileSync(file, 'utf8');
	const lines = text.split('\r\n').filter(l => l);
	check(text.startsWith('\ufeff'), 'the CSV starts with the UTF-8 BOM');
	check(/^\ufeffLocal time,ISO 8601,/.test(text), `the CSV starts with the header row ("${lines[0]?.slice(1, 60)}")`);
	check(lines.length > 1 && raised.every(r => text.includes(r.text)),
		`the CSV has rows (${lines.length - 1}), the failure's events among them`);
	check(/^upsgate-ups-\d{8}\.csv$/.test(download.suggestedFilename()),
		`the CSV's name is upsgate-ups-YYYYmmdd.csv (${download.suggestedFilename()})`);
	watch.checkClean('#/logs/device');
});

await step('acknowledging stops the flashing', async () => {
	watch.label = '#/alarms';
	await openRoute(page, '#/alarms');
	const button = page.locator(ACK);
	check(await button.count() === 1 && await button.isEnabled(), `#/alarms: an enabled acknowledge button ${ACK} for a read-write user`);
	await button.click();
	const stopped = await page.waitForFunction(() => {
		const b = document.getElementById('alarm-count').closest('button, a');
		return b && b.dataset.new !== 'true';
	}, null, { timeout: 5000 }).then(() => true, () => false);
	check(stopped, 'after acknowledging, the alarm shortcut stops flashing (data-new is no longer "true")');
	const alarms = await apiInPage(page, 'GET', '/alarms');
	const counts = alarms.body && alarms.body.alarm_counts;
	check(counts && counts.unacknowledged === 0, `the daemon has every alarm acknowledged (${JSON.stringify(counts)})`);
	await screenshot(page, 'alarms-acknowledged');
	watch.checkClean('#/alarms');
	simCtl('ac-restore');
});

// The history graph over this run (the history interval is 1 s here): the
// input voltage drops at the failure and comes back.
await step('the history graph shows the failure', async () => {
	await page.waitForTimeout(3 * POLL_S * 1000);
	const route = `#/history/graph?log=history&range=custom&from=${startedS - 5}&to=${Math.ceil(Date.now() / 1000) + 1}`;
	watch.label = route;
	await openRoute(page, route);
	check(await page.locator('#page canvas').count() > 0, `${route}: the graph draws its charts`);
	await screenshot(page, 'history-graph-ac-fail');
	watch.checkClean(route);
});

await finish(browser);
