// Settings forms built from GET /settings/schema (docs/web-ui.md). A form
// shows the keys a page asks for with their labels and help (set.KEY,
// set.KEY.help), checks what the schema allows before sending anything,
// asks the daemon to validate the changed keys, then saves only those.
import { h, clear, field, setFieldError, uid } from './dom.js';
import { t, fmtNum } from './i18n.js';
import { api, ApiError } from './api.js';
import { session } from './session.js';
import { leaveCheck } from './router.js';

const SECRET_MASK = '********';
// Choices that are words (translated as set.choice.WORD); the others
// (MD5, v2c, 9600...) are names shown as they are.
const CHOICE_WORDS = new Set(['auto', 'none', 'disabled', 'read-only', 'read-write', 'accept', 'reject',
	'information', 'warning', 'critical', 'severity', 'events', 'netvision', 'rfc1628', 'C', 'F']);
const LIST_KEY = /^(.+?)\[(\d+)\](?:\.(.+))?$/;

let schemaPromise = null;

// The schema as a Map key -> definition, fetched once per page load.
export function loadSchema() {
	if (!schemaPromise) {
		schemaPromise = api.get('/settings/schema')
			.then(list => new Map(list.map(def => [def.key, def])))
			.catch(err => { schemaPromise = null; throw err; });
	}
	return schemaPromise;
}

export function choiceLabel(choice) {
	return CHOICE_WORDS.has(String(choice)) ? t(`set.choice.${choice}`) : String(choice);
}

function settingLabel(key) {
	return t(`set.${key}`);
}

// An API failure in words: the daemon's message, with each field's reason.
export function errorText(err) {
	if (!(err instanceof ApiError))
		return err && err.message ? err.message : String(err);
	const reasons = (err.body && (err.body.errors || err.body.rejected)) || [];
	return [err.message, ...reasons.map(r => `${r.key}: ${r.reason}`)].join(' — ');
}

function same(a, b) {
	return JSON.stringify(a) === JSON.stringify(b);
}

// ---- one value: input, reading back, local checks ----

function inputFor(def, id) {
	if (def.type === 'boolean')
		return h('input', { type: 'checkbox', id });
	if (def.type === 'enum')
		return h('select', { id }, def.choices.map(c => h('option', { value: String(c) }, choiceLabel(c))));
	if (def.type === 'integer' || def.type === 'number') {
		return h('input', {
			type: 'number', id, min: def.min, max: def.max,
			step: def.type === 'integer' ? '1' : 'any',
			inputmode: def.type === 'integer' ? 'numeric' : 'decimal',
		});
	}
	return h('input', {
		type: def.secret ? 'password' : 'text', id, maxlength: def.max_length,
		autocomplete: def.secret ? 'new-password' : 'off', spellcheck: 'false',
	});
}

function writeInput(input, def, value) {
	if (def.type === 'boolean') {
		input.checked = Boolean(value);
		return;
	}
	const text = value === null || value === undefined ? '' : String(value);
	if (def.type === 'enum' && !def.choices.map(String).includes(text))
		input.appendChild(h('option', { value: text }, text));
	input.value = text;
}

function readInput(input, def) {
	if (def.type === 'boolean')
		return input.checked;
	if (def.type === 'integer' || def.type === 'number') {
		if (input.value.trim() === '')
			return input.validity.badInput ? NaN : null;
		return Number(input.value);
	}
	return input.value;
}

function rangeText(def) {
	return t('form.err.range', { min: fmtNum(def.min), max: fmtNum(def.max) });
}

// What the schema says about a value, before the daemon is asked.
function localCheck(def, value) {
	if (def.type === 'integer' || def.type === 'number') {
		if (value === null)
			return t('form.err.required');
		if (!Number.isFinite(value))
			return t('form.err.number');
		if (def.type === 'integer' && !Number.isInteger(value))
			return t('form.err.integer');
		if ((def.min !== undefined && value < def.min) || (def.max !== undefined && value > def.max))
			return rangeText(def);
	}
	if (def.type === 'string' && !(def.secret && value === SECRET_MASK)) {
		const length = [...value].length;
		if (def.min_length && !length)
			return t('form.err.required');
		if (def.min_length && length < def.min_length)
			return t('form.err.min_length', { n: def.min_length });
		if (def.max_length !== undefined && length > def.max_length)
			return t('form.err.max_length', { n: def.max_length });
	}
	if (def.type === 'enum' && !def.choices.map(String).includes(String(value)))
		return t('form.err.choice');
	return null;
}

// A scalar control: a labelled input for one key (or one list item field).
function scalarControl(def, key, label, help) {
	const input = inputFor(def, uid('set'));
	input.name = key;
	const box = field({ label, input, help });
	box.classList.add(`field-${def.type}`);
	if (def.type === 'string' && def.max_length > 64)
		box.classList.add('field-wide');   // host names, addresses: room to read them
	return {
		key, def, el: box, input,
		get: () => readInput(input, def),
		set: value => writeInput(input, def, value),
		check() { return localCheck(def, readInput(input, def)); },
		showError: reason => setFieldError(box, reason),
		clearErrors: () => setFieldError(box, null),
		focus: () => input.focus(),
		disable() { input.disabled = true; },
	};
}

// ---- a list of objects (firewall.rules, snmp.users...) ----

function normaliseItems(def, list) {
	return (Array.isArray(list) ? list : []).map(item =>
		Object.fromEntries(def.items.map(i => [i.key, item && item[i.key] !== undefined ? item[i.key] : i.default])));
}

function listRow(def, control, item) {
	const fields = def.items.map(i =>
		scalarControl(i, `${def.key}.${i.key}`, t(`set.${def.key}.${i.key}`), null));
	fields.forEach(f => f.set(item[f.def.key]));
	const number = h('span', { class: 'list-row-number' });
	const error = h('p', { class: 'field-error list-row-error', role: 'alert', hidden: true });
	const tools = h('div', { class: 'list-row-tools' });
	const li = h('li', { class: 'list-row' },
		h('div', { class: 'list-row-head' }, number, tools),
		h('div', { class: 'list-row-fields' }, fields.map(f => f.el)), error);
	const row = { li, fields, number, tools, error };
	if (!control.readOnly) {
		const button = (action, label, fn) => h('button', {
			type: 'button', class: 'btn btn-small', dataset: { action }, on: { click: fn },
		}, label);
		row.up = button('up', t('form.move_up'), () => control.move(row, -1));
		row.down = button('down', t('form.move_down'), () => control.move(row, 1));
		row.remove = button('remove', t('form.remove_row'), () => control.removeRow(row));
		tools.append(row.up, row.down, row.remove);
	}
	return row;
}

function listControl(def, readOnly) {
	const rows = [];
	const ol = h('ol', { class: 'list-rows' });
	const empty = h('p', { class: 'list-empty' }, t('form.list_empty'));
	const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
	const count = h('span', { class: 'list-count' });
	const add = readOnly ? null : h('button', {
		type: 'button', class: 'btn', dataset: { action: 'add' },
		on: { click: () => { control.addRow(normaliseItems(def, [{}])[0]); control.changed(); rows.at(-1).fields[0].focus(); } },
	}, t('form.add_row'));
	const el = h('fieldset', { class: 'list-field', dataset: { key: def.key } },
		h('legend', t(`set.${def.key}`)),
		h('p', { class: 'field-help' }, t(`set.${def.key}.help`), ' ', count),
		error, empty, ol, add ? h('div', { class: 'list-add' }, add) : null);

	function renumber() {
		rows.forEach((row, i) => {
			row.number.textContent = t('form.row_number', { n: i + 1 });
			row.li.setAttribute('aria-label', t('form.row_number', { n: i + 1 }));
			if (row.up) {
				row.up.disabled = i === 0;
				row.down.disabled = i === rows.length - 1;
				row.up.setAttribute('aria-label', `${t('form.move_up')} (${i + 1})`);
				row.down.setAttribute('aria-label', `${t('form.move_down')} (${i + 1})`);
				row.remove.setAttribute('aria-label', `${t('form.remove_row')} (${i + 1})`);
			}
		});
		empty.hidden = rows.length > 0;
		count.textContent = t('form.list_count', { n: rows.length, max: def.max_entries });
		if (add)
			add.disabled = rows.length >= def.max_entries;
	}

	const control = {
		key: def.key, def, el, readOnly, changed: () => {},
		addRow(item) {
			const row = listRow(def, control, item);
			if (readOnly)
				row.fields.forEach(f => f.disable());
			rows.push(row);
			ol.appendChild(row.li);
			renumber();
		},
		removeRow(row) {
			const i = rows.indexOf(row);
			rows.splice(i, 1);
			row.li.remove();
			renumber();
			control.changed();
			(rows[i] || rows[i - 1])?.fields[0].focus();
		},
		move(row, step) {
			const i = rows.indexOf(row);
			const j = i + step;
			rows.splice(i, 1);
			rows.splice(j, 0, row);
			ol.insertBefore(row.li, step < 0 ? rows[j + 1].li : rows[j - 1].li.nextSibling);
			renumber();
			control.changed();
			(step < 0 ? row.up : row.down)?.focus();
		},
		get: () => rows.map(row => Object.fromEntries(row.fields.map(f => [f.def.key, f.get()]))),
		set(list) {
			rows.splice(0).forEach(row => row.li.remove());
			normaliseItems(def, list).forEach(item => control.addRow(item));
			renumber();
		},
		check() {
			let first = null;
			rows.forEach((row, i) => row.fields.forEach(f => {
				const reason = f.check();
				if (reason) {
					f.showError(reason);
					first = first || { key: `${def.key}[${i}].${f.def.key}`, reason };
				}
			}));
			return first ? t('form.err.in_list') : null;
		},
		showError(reason, index, itemKey) {
			const row = index === undefined ? null : rows[index];
			const f = row && itemKey ? row.fields.find(x => x.def.key === itemKey) : null;
			if (f)
				f.showError(reason);
			else if (row) {
				row.error.textContent = reason;
				row.error.hidden = false;
				row.li.classList.add('invalid');
			} else {
				error.textContent = reason;
				error.hidden = false;
			}
		},
		clearErrors() {
			error.hidden = true;
			rows.forEach(row => {
				row.fields.forEach(f => f.clearErrors());
				row.error.hidden = true;
				row.li.classList.remove('invalid');
			});
		},
		focus() {
			const bad = el.querySelector('[aria-invalid="true"]') || el.querySelector('input, select, button');
			bad?.focus();
		},
		disable() {},
	};
	renumber();
	return control;
}

// ---- the form ----

function formStatus() {
	return h('div', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
}

// kind: busy, info, ok, warning, error (the shell styles .ok and .error).
function say(statusEl, kind, ...content) {
	clear(statusEl);
	statusEl.className = `form-status ${kind}`;
	statusEl.append(...content.filter(part => part !== null && part !== undefined));
}

function sleep(ms) {
	return new Promise(resolve => setTimeout(resolve, ms));
}

// After POST /restart: wait until the daemon answers again. Sessions live
// in memory, so a restarted daemon answers 401 to our old cookie: that is
// the sign it is back (a 200 means it has not gone down yet). The plain
// fetch keeps api.js from opening the login dialog on each try.
async function waitForRestart() {
	await sleep(800);
	for (let tries = 0; tries < 90; tries++) {
		try {
			const reply = await fetch('/api/v1/session', { credentials: 'same-origin', cache: 'no-store' });
			if (reply.status === 401)
				return;
		} catch {
			/* not listening yet */
		}
		await sleep(1000);
	}
	throw new Error(t('form.restart_timeout'));
}

// Restart the daemon (admin), tell the user in statusEl, log in again.
async function restartGateway(statusEl) {
	say(statusEl, 'busy', t('form.restarting'));
	try {
		await api.post('/restart');
		await waitForRestart();
		say(statusEl, 'ok', t('form.restarted'));
		await session.ended();
	} catch (err) {
		say(statusEl, 'error', errorText(err));
	}
}

export function restartButton(statusEl) {
	return h('button', {
		type: 'button', class: 'btn', dataset: { action: 'restart' },
		on: { click: () => restartGateway(statusEl) },
	}, t('form.restart_now'));
}

// Warn before leaving a page whose form has unsaved changes: the router
// asks before any route change (link, back button, typed address), the
// browser's own prompt when the tab closes or reloads.
function guardLeaving(form, isDirty) {
	const onUnload = event => {
		if (!form.isConnected) {
			window.removeEventListener('beforeunload', onUnload);
		} else if (isDirty()) {
			event.preventDefault();
			event.returnValue = '';
		}
	};
	leaveCheck(() => !form.isConnected || !isDirty() || window.confirm(t('form.leave_unsaved')));
	window.addEventListener('beforeunload', onUnload);
}

function errorTarget(controls, key) {
	const direct = controls.get(key);
	if (direct)
		return { control: direct };
	const m = LIST_KEY.exec(key);
	if (m && controls.get(m[1]))
		return { control: controls.get(m[1]), index: Number(m[2]), itemKey: m[3] };
	return null;
}

// settingsForm({sections: [{title?, intro?, more?: {href, label}, keys}]} or {keys, title?, intro?},
//   columns?: sections side by side,
//   beforeSave?(patch) -> bool | Promise<bool>, onChange?(values), onSaved?(result))
// -> Promise<HTMLFormElement>. Keys the daemon does not know are left out
// and named in a notice.
export async function settingsForm(opts) {
	const [schema, values] = await Promise.all([loadSchema(), api.get('/settings')]);
	const canWrite = session.canWrite();
	const sections = opts.sections || [{ title: opts.title, intro: opts.intro, keys: opts.keys }];
	const controls = new Map();
	const missing = [];
	let original = {};

	const form = h('form', { class: ['settings-form', opts.columns ? 'columns' : null], novalidate: true });
	for (const section of sections) {
		const body = h('div', { class: 'card-body' }, section.intro ? h('p', { class: 'form-intro' }, section.intro) : null);
		const grid = h('div', { class: 'form-grid' });
		const lists = [];
		for (const key of section.keys) {
			const def = schema.get(key);
			if (!def) {
				missing.push(key);
				continue;
			}
			const control = def.type === 'list'
				? listControl(def, !canWrite)
				: scalarControl(def, key, settingLabel(key), t(`set.${key}.help`));
			if (!canWrite)
				control.disable();
			controls.set(key, control);
			if (def.type === 'list')
				lists.push(control.el);
			else
				grid.appendChild(control.el);
		}
		if (!grid.childNodes.length && !lists.length)
			continue;
		// A section that is one list has its title already: the legend is for screen readers only.
		if (section.title && !grid.childNodes.length && lists.length === 1)
			lists[0].querySelector('legend').classList.add('visually-hidden');
		if (grid.childNodes.length)
			body.append(grid);
		body.append(...lists);
		const titleId = uid('sec');
		form.appendChild(h('section', { class: 'card form-section', role: 'group', 'aria-labelledby': section.title ? titleId : null },
			section.title ? h('div', { class: 'card-head' }, h('h2', { id: titleId }, section.title),
				section.more ? h('div', { class: 'actions' }, h('a', { href: section.more.href, class: 'form-more' }, section.more.label)) : null) : null,
			body));
	}
	if (missing.length)
		form.prepend(notice(t('form.missing_keys', { keys: missing.join(', ') }), 'warning'));

	const statusEl = formStatus();
	const current = () => Object.fromEntries([...controls].map(([key, c]) => [key, c.get()]));
	const patch = () => Object.fromEntries(Object.entries(current()).filter(([key, v]) => !same(v, original[key])));
	const isDirty = () => canWrite && Object.keys(patch()).length > 0;

	function fill(settings) {
		original = {};
		for (const [key, control] of controls) {
			control.set(settings[key]);
			original[key] = control.get();   // as read back, so that an untouched field never counts as changed
		}
	}

	function refreshDirty() {
		const dirty = isDirty();
		form.classList.toggle('dirty', dirty);
		if (revert)
			revert.disabled = !dirty;
		if (opts.onChange)
			opts.onChange(current());
	}

	function clearErrors() {
		controls.forEach(c => c.clearErrors());
	}

	// Per-field reasons (client checks, validate, 422); the rest in the status line.
	function showErrors(errors) {
		const loose = [];
		let first = null;
		for (const e of errors) {
			const target = errorTarget(controls, e.key);
			if (target) {
				target.control.showError(e.reason, target.index, target.itemKey);
				first = first || target.control;
			} else {
				loose.push(`${e.key}: ${e.reason}`);
			}
		}
		say(statusEl, 'error', t('form.fix_errors', { n: errors.length }), loose.length ? ` ${loose.join('; ')}` : '');
		first?.focus();
	}

	function labels(keys) {
		return keys.map(k => (controls.has(k) ? settingLabel(k) : k)).join(', ');
	}

	function showResult(result) {
		const parts = [h('span', t('form.applied', { keys: labels(result.applied || []) }))];
		if (result.restart_keys && result.restart_keys.length) {
			parts.push(h('span', { class: 'form-restart' }, ' ', t('form.restart_needed', { keys: labels(result.restart_keys) })));
			if (session.isAdmin())
				parts.push(' ', restartButton(statusEl));
		}
		say(statusEl, result.restart_keys && result.restart_keys.length ? 'warning' : 'ok', ...parts);
	}

	async function save() {
		clearErrors();
		const changes = patch();
		if (!Object.keys(changes).length) {
			say(statusEl, 'info', t('form.no_changes'));
			return;
		}
		const local = Object.keys(changes).map(key => ({ key, reason: controls.get(key).check() })).filter(e => e.reason);
		if (local.length) {
			local.forEach(e => controls.get(e.key).showError(e.reason));
			say(statusEl, 'error', t('form.fix_errors', { n: local.length }));
			controls.get(local[0].key).focus();
			return;
		}
		if (opts.beforeSave && !(await opts.beforeSave(changes)))
			return;
		saveButton.disabled = true;
		say(statusEl, 'busy', t('form.checking'));
		try {
			const verdict = await api.post('/settings/validate', changes);
			if (!verdict.valid) {
				showErrors(verdict.errors);
				return;
			}
			say(statusEl, 'busy', t('form.saving'));
			const result = await api.put('/settings', changes);
			fill(await api.get('/settings'));
			refreshDirty();
			showResult(result);
			if (opts.onSaved)
				opts.onSaved(result);
		} catch (err) {
			if (err instanceof ApiError && err.body && Array.isArray(err.body.errors))
				showErrors(err.body.errors);
			else
				say(statusEl, 'error', errorText(err));
		} finally {
			saveButton.disabled = false;
		}
	}

	let revert = null;
	let saveButton = null;
	if (canWrite) {
		saveButton = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'save' } }, t('form.validate_save'));
		revert = h('button', {
			type: 'button', class: 'btn', dataset: { action: 'revert' }, disabled: true,
			on: { click: () => { fill(original); clearErrors(); refreshDirty(); say(statusEl, 'info', t('form.reverted')); } },
		}, t('form.revert'));
		form.appendChild(h('div', { class: 'form-actions' }, saveButton, revert, statusEl));
		form.addEventListener('submit', event => { event.preventDefault(); save(); });
		form.addEventListener('input', refreshDirty);
		form.addEventListener('change', refreshDirty);
		controls.forEach(c => { c.changed = refreshDirty; });
		guardLeaving(form, isDirty);
	} else {
		form.prepend(notice(t('common.read_only_notice')));
		form.appendChild(statusEl);
	}
	fill(values);
	refreshDirty();
	return form;
}

// ---- pieces the management pages share ----

// A titled box of the management pages (the shell's card).
export function card(title, ...children) {
	return h('section', { class: 'card admin-card' },
		title ? h('div', { class: 'card-head' }, h('h2', title)) : null,
		h('div', { class: 'card-body' }, ...children));
}

const NOTICE_ICONS = { info: 'i', ok: '✓', warning: '!', error: '!' };

// kind: info, ok, warning, error.
export function notice(content, kind = 'info') {
	return h('div', { class: `notice notice-${kind === 'error' ? 'critical' : kind}`, role: kind === 'error' ? 'alert' : null },
		h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, NOTICE_ICONS[kind]),
		h('div', { class: 'notice-body' }, content));
}

// A status line of a page's own actions (uploads, unlocks...).
export function statusLine() {
	return formStatus();
}

export { say as setStatus };

// Append a settings form to a page, or the reason it could not be built.
export async function appendForm(root, opts) {
	try {
		const form = await settingsForm(opts);
		root.append(form);
		return form;
	} catch (err) {
		root.append(notice(errorText(err), 'error'));
		return null;
	}
}

// A management page that is an introduction and one settings form.
// form(): appendForm's options, built at each mount (in the current language).
export function formPage({ page, title, intro, form }) {
	return {
		title,
		async mount(root) {
			root.dataset.page = page;
			root.append(notice(t(intro)));
			await appendForm(root, form());
			root.dataset.ready = 'true';
		},
	};
}
