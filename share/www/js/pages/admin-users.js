// #/admin/users: the multi-user table (manual §15.4): admin plus up to 8
// users, Read only or Read/Write. Admin only; everyone may change their
// own password here (session.js's dialog).
import { h, clear, field, setFieldError, table } from '../dom.js';
import { t, fmtDate, fmtNum } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { session } from '../session.js';
import { card, notice, errorText, statusLine, setStatus } from '../form.js';

const NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/;
const ROLES = ['read-only', 'read-write'];

// The policy of docs/api.md, checked before sending: the first rule broken.
function policyProblem(password) {
	if (password.length < 12)
		return t('admin.users.pw_length');
	if (/[^A-Za-z0-9!%#@^*]/.test(password))
		return t('admin.users.pw_chars');
	if (!/[A-Z]/.test(password) || !/[a-z]/.test(password) || !/[0-9]/.test(password) || !/[!%#@^*]/.test(password))
		return t('admin.users.pw_classes');
	return null;
}

function roleLabel(role) {
	return t(`admin.users.role.${role}`);
}

function daysLeftText(user) {
	if (user.days_left === null || user.days_left === undefined)
		return t('admin.users.never');
	if (user.days_left < 0)
		return t('admin.users.expired');
	return fmtNum(user.days_left, 0);
}

function ownPasswordCard() {
	const current = session.current;
	if (current && current.radius)
		return card(t('admin.users.my_password'), notice(t('admin.users.radius_password')));
	return card(t('admin.users.my_password'),
		h('p', { class: 'form-intro' }, t('admin.users.my_password_intro', { user: current ? current.user : '' })),
		h('div', { class: 'form-actions' }, h('button', {
			type: 'button', class: 'btn', dataset: { action: 'change-password' },
			on: { click: () => session.changePassword() },
		}, t('admin.users.change_password'))));
}

export default {
	title: 'admin.users.title',
	async mount(root, ctx) {
		root.dataset.page = 'admin-users';
		if (!ctx.isAdmin) {
			root.append(notice(t('admin.users.admin_only'), 'info'), ownPasswordCard());
			root.dataset.ready = 'true';
			return;
		}
		const listBox = h('div');
		const statusEl = statusLine();
		const editor = buildEditor(() => load());

		async function load() {
			try {
				drawTable(await api.get('/users'));
			} catch (err) {
				clear(listBox).append(notice(errorText(err), 'error'));
			}
		}

		async function act(promise, doneText) {
			try {
				await promise;
				setStatus(statusEl, 'ok', doneText);
				await load();
			} catch (err) {
				setStatus(statusEl, 'error', errorText(err));
			}
		}

		function actions(user) {
			if (user.role === 'admin')
				return h('span', { class: 'muted' }, t('admin.users.always_active'));
			const box = h('div', { class: 'row-actions' });
			const normal = () => clear(box).append(
				h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'edit' }, on: { click: () => editor.edit(user) } },
					t('admin.users.edit')),
				h('button', { type: 'button', class: 'btn btn-small btn-danger', dataset: { action: 'remove' }, on: { click: confirming } },
					t('admin.users.remove')));
			// Removal asks once more in place, rather than in a browser pop-up.
			const confirming = () => {
				const no = h('button', { type: 'button', class: 'btn btn-small', on: { click: normal } }, t('common.cancel'));
				clear(box).append(
					h('span', { class: 'confirm-text' }, t('admin.users.remove_confirm', { name: user.name })),
					h('button', {
						type: 'button', class: 'btn btn-small btn-danger', dataset: { action: 'confirm-remove' },
						on: { click: () => act(api.del(`/users/${encodeURIComponent(user.name)}`), t('admin.users.removed', { name: user.name })) },
					}, t('admin.users.remove')),
					no);
				no.focus();
			};
			normal();
			return box;
		}

		function lockCell(user) {
			if (!user.locked)
				return t('common.no');
			return h('div', { class: 'row-actions' },
				h('span', { class: 'state-bad' }, user.locked_until
					? t('admin.users.locked_until', { time: fmtDate(user.locked_until) }) : t('common.yes')),
				h('button', {
					type: 'button', class: 'btn btn-small', dataset: { action: 'unlock' },
					on: { click: () => act(api.post(`/users/${encodeURIComponent(user.name)}/unlock`), t('admin.users.unlocked', { name: user.name })) },
				}, t('admin.users.unlock')));
		}

		function drawTable(reply) {
			const others = reply.users.filter(u => u.role !== 'admin').length;
			editor.setFull(others >= reply.max_users);
			clear(listBox).append(
				table({
					caption: t('admin.users.caption', { n: others, max: reply.max_users }),
					columns: [
						{ key: 'name', label: t('admin.users.name'), render: u => h('strong', u.name) },
						{ key: 'role', label: t('admin.users.role'), render: u => roleLabel(u.role) },
						{
							key: 'password_changed', label: t('admin.users.changed'),
							render: u => [fmtDate(u.password_changed), u.must_change ? h('div', { class: 'field-help' }, t('admin.users.must_change')) : null],
						},
						{ key: 'days_left', label: t('admin.users.days_left'), align: 'right', render: daysLeftText },
						{ key: 'failures', label: t('admin.users.failures'), align: 'right' },
						{ key: 'locked', label: t('admin.users.locked'), render: lockCell },
						{ key: 'actions', label: t('admin.users.actions'), render: actions },
					],
					rows: reply.users,
				}),
				statusEl);
		}

		root.append(
			card(t('admin.users.table_title'), h('p', { class: 'form-intro' }, t('admin.users.intro')), listBox),
			h('div', { class: 'admin-grid' }, editor.el, ownPasswordCard()));
		await load();
		root.dataset.ready = 'true';
	},
};

// The add / edit form. PUT /users/NAME creates or changes; a password set
// here must be changed by its user at the first login.
function buildEditor(onDone) {
	const name = h('input', { type: 'text', name: 'user-name', autocomplete: 'off', spellcheck: 'false', maxlength: 31, autocapitalize: 'none' });
	const role = h('select', { name: 'user-role' }, ROLES.map(r => h('option', { value: r }, roleLabel(r))));
	const password = h('input', { type: 'password', name: 'user-password', autocomplete: 'new-password', maxlength: 128 });
	const confirm = h('input', { type: 'password', name: 'user-confirm', autocomplete: 'new-password', maxlength: 128 });
	const nameField = field({ label: t('admin.users.name'), input: name, help: t('admin.users.name_help') });
	const passwordField = field({ label: t('admin.users.password'), input: password });
	const confirmField = field({ label: t('admin.users.confirm'), input: confirm });
	const title = h('h2');
	const passwordHelp = h('p', { class: 'field-help' });
	const statusEl = statusLine();
	const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'save' } }, t('common.save'));
	const cancel = h('button', { type: 'button', class: 'btn', on: { click: () => reset() } }, t('common.cancel'));
	const fullNote = notice(t('admin.users.full'), 'warning');
	const form = h('form', { class: 'user-editor', novalidate: true },
		fullNote, nameField, field({ label: t('admin.users.role'), input: role }), passwordField, confirmField, passwordHelp,
		h('div', { class: 'policy-box' }, h('p', t('admin.users.policy_title')),
			h('ul', { class: 'policy' }, ['admin.users.pw_length', 'admin.users.pw_classes', 'admin.users.pw_chars', 'admin.users.pw_first']
				.map(k => h('li', t(k))))),
		h('div', { class: 'form-actions' }, submit, cancel, statusEl));
	const el = h('section', { class: 'card admin-card' }, h('div', { class: 'card-head' }, title), h('div', { class: 'card-body' }, form));
	let editing = null;
	let full = false;

	function clearErrors() {
		[nameField, passwordField, confirmField].forEach(f => setFieldError(f, null));
	}

	function reset() {
		editing = null;
		form.reset();
		name.disabled = false;
		clearErrors();
		title.textContent = t('admin.users.add_title');
		passwordHelp.textContent = t('admin.users.password_help_add');
		applyFull();
	}

	function applyFull() {
		fullNote.hidden = !full || editing !== null;
		submit.disabled = full && editing === null;
	}

	function localErrors() {
		const problems = [];
		if (!NAME_RULE.test(name.value))
			problems.push([nameField, t('admin.users.name_invalid')]);
		else if (!editing && name.value === 'admin')
			problems.push([nameField, t('admin.users.name_admin')]);
		if (password.value || !editing) {
			const problem = password.value ? policyProblem(password.value) : t('form.err.required');
			if (problem)
				problems.push([passwordField, problem]);
			else if (password.value !== confirm.value)
				problems.push([confirmField, t('admin.users.mismatch')]);
		}
		return problems;
	}

	form.addEventListener('submit', async event => {
		event.preventDefault();
		clearErrors();
		const problems = localErrors();
		problems.forEach(([f, text]) => setFieldError(f, text));
		if (problems.length) {
			problems[0][0].querySelector('input').focus();
			return;
		}
		const body = { role: role.value };
		if (password.value)
			body.password = password.value;
		submit.disabled = true;
		try {
			await api.put(`/users/${encodeURIComponent(name.value)}`, body);
			const done = t(editing ? 'admin.users.updated' : 'admin.users.added', { name: name.value });
			reset();
			setStatus(statusEl, 'ok', done);
			await onDone();
		} catch (err) {
			const target = err instanceof ApiError && err.code === 'password_policy' ? passwordField : null;
			if (target)
				setFieldError(target, err.message);
			setStatus(statusEl, 'error', errorText(err));
		} finally {
			applyFull();
		}
	});

	reset();
	return {
		el,
		setFull(value) {
			full = value;
			applyFull();
		},
		edit(user) {
			editing = user.name;
			form.reset();
			clearErrors();
			name.value = user.name;
			name.disabled = true;
			role.value = user.role;
			title.textContent = t('admin.users.edit_title', { name: user.name });
			passwordHelp.textContent = t('admin.users.password_help_edit');
			applyFull();
			role.focus();
		},
	};
}
