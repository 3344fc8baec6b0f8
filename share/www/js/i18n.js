// Languages and formatting. A language is one file, lang/CODE.json:
// {meta, strings (interface keys), texts (the daemon's English texts)}.
// Only the chosen file is loaded (the shipped ones are complete); the
// first key a translation lacks fetches English, and the page is drawn
// again with it, so a partial translation still reads.

const STORE_KEY = 'upsgate.lang';
const FALLBACK_LANGUAGES = [{ code: 'en', name: 'English' }, { code: 'fr', name: 'Français' }];
const DASH = '—';

let current = 'en';
let strings = {};
let texts = {};
let english = {};
let englishAsked = false;
let available = FALLBACK_LANGUAGES;
let tempUnit = 'C';
let measures = {};
const warned = new Set();
const listeners = new Set();

async function fetchJson(url) {
	const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
	if (!res.ok)
		throw new Error(`${url}: ${res.status}`);
	return res.json();
}

async function loadLanguageList() {
	try {
		const reply = await fetchJson('/api/v1/languages');
		if (Array.isArray(reply.languages) && reply.languages.length)
			available = reply.languages;
	} catch {
		available = FALLBACK_LANGUAGES;   // an older daemon without the endpoint
	}
}

function storedChoice() {
	try {
		return localStorage.getItem(STORE_KEY);
	} catch {
		return null;
	}
}

// The stored choice, else the browser's first language we have a file for.
function preferredCode() {
	const codes = available.map(l => l.code);
	const stored = storedChoice();
	if (stored && codes.includes(stored))
		return stored;
	for (const tag of navigator.languages || [navigator.language]) {
		const base = String(tag).toLowerCase().split('-')[0];
		if (codes.includes(base))
			return base;
	}
	return 'en';
}

async function loadFile(code) {
	return fetchJson(`lang/${encodeURIComponent(code)}.json`);
}

async function apply(code) {
	const file = await loadFile(code);
	if (code === 'en') {
		english = file.strings || {};
		englishAsked = true;
	}
	current = code;
	strings = file.strings || {};
	texts = file.texts || {};
	document.documentElement.lang = code;
}

// Called once by app.js before anything is drawn.
export async function initI18n() {
	await loadLanguageList();
	const code = preferredCode();
	try {
		await apply(code);
	} catch {
		await apply('en');
	}
	// measures.js imports this module: load it once we are evaluated.
	try {
		measures = (await import('./measures.js')).MEASURES || {};
	} catch {
		measures = {};
	}
}

function notify() {
	for (const fn of listeners)
		fn(current);
}

// English for the keys a translation lacks, once; then everything is redrawn.
function askEnglish() {
	englishAsked = true;
	loadFile('en').then(file => {
		english = file.strings || {};
		notify();
	}).catch(() => {});
}

export function t(key, vars) {
	let text = strings[key] ?? english[key];
	if (text === undefined) {
		if (!warned.has(key)) {
			warned.add(key);
			console.warn(`i18n: no text for ${key}`);
		}
		if (!englishAsked)
			askEnglish();
		text = key;
	}
	if (vars)
		text = text.replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
	return text;
}

export function tx(text) {
	if (text === null || text === undefined)
		return '';
	return texts[text] ?? text;
}

export function lang() {
	return current;
}

export function languages() {
	return available;
}

export async function setLang(code) {
	await apply(code);
	try {
		localStorage.setItem(STORE_KEY, code);
	} catch {
		/* private mode: the choice lasts for this page only */
	}
	notify();
}

// app.js re-renders the shell and the page when the language changes.
export function onLangChange(fn) {
	listeners.add(fn);
	return () => listeners.delete(fn);
}

// The browser's own locale when it speaks the chosen language ("fr-CA"
// for French on a Canadian browser), so dates follow the user's habits.
export function locale() {
	for (const tag of navigator.languages || [navigator.language]) {
		if (String(tag).toLowerCase().split('-')[0] === current)
			return tag;
	}
	return current;
}

export function setTemperatureUnit(unit) {
	tempUnit = unit === 'F' ? 'F' : 'C';
}

export function temperatureUnit() {
	return tempUnit;
}

function missing(value) {
	return value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value));
}

export function fmtNum(value, digits) {
	if (missing(value))
		return DASH;
	const opts = digits === undefined
		? { maximumFractionDigits: 2 }
		: { minimumFractionDigits: digits, maximumFractionDigits: digits };
	return new Intl.NumberFormat(locale(), opts).format(value);
}

// Date and time by default, without seconds; {seconds: true} adds them,
// {ms: true} the milliseconds too (serial frames), {date: false} or
// {time: false} leaves one part out.
export function fmtDate(msOrIso, { seconds = false, ms = false, date = true, time = true } = {}) {
	if (missing(msOrIso) || msOrIso === '')
		return DASH;
	const d = new Date(msOrIso);
	if (Number.isNaN(d.getTime()))
		return DASH;
	const opts = {};
	if (date)
		Object.assign(opts, { year: 'numeric', month: '2-digit', day: '2-digit' });
	if (time)
		Object.assign(opts, { hour: '2-digit', minute: '2-digit' }, seconds || ms ? { second: '2-digit' } : {},
			ms ? { fractionalSecondDigits: 3 } : {});
	return new Intl.DateTimeFormat(locale(), opts).format(d);
}

export function fmtTemp(celsius) {
	if (missing(celsius))
		return DASH;
	if (tempUnit === 'F')
		return `${fmtNum(celsius * 9 / 5 + 32, 1)} °F`;
	return `${fmtNum(Math.round(celsius * 10) / 10)} °C`;
}

export function fmtMeasure(key, value) {
	const m = measures[key];
	if (missing(value))
		return DASH;
	if (!m)
		return fmtNum(value);
	if (m.unit === '°C')
		return fmtTemp(value);
	const number = fmtNum(value, m.digits);
	return m.unit ? `${number} ${m.unit}` : number;
}
