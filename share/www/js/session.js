// The login session: login dialog, forced password change (first login,
// expired password), days-left notice, and the end of a session (idle
// timeout, newer login elsewhere) which brings the login dialog back.
import { api, ApiError, setCsrf, setLoginHandler, setActivityHandler } from './api.js';
import { h, field, toast } from './dom.js';
import { t, tx } from './i18n.js';

const listeners = { change: new Set(), logout: new Set() };
let pendingLogin = null;        // {promise, resolve} while the login dialog is open
let loginDialog = null;
let passwordDialog = null;
let idleDeadline = 0;
// A dialog closed by the code after success, rather than by the user (Escape, Cancel).
const DONE = 'done';           // ms; the server ends the session when idle that long

function emit(name = 'change') {
	for (const fn of listeners[name])
		fn(session.current);
}

function setCurrent(reply) {
	if (!reply) {
		session.current = null;
		setCsrf(null);
	} else {
		session.current = {
			user: reply.user, role: reply.role, must_change: Boolean(reply.must_change),
			radius: Boolean(reply.radius), timeout: reply.timeout ?? null, days_left: reply.days_left ?? null,
		};
		setCsrf(reply.csrf);
		touch();
	}
	emit();
}

function touch() {
	const timeout = session.current && session.current.timeout;
	idleDeadline = timeout ? Date.now() + timeout * 1000 : 0;
}

function dialogHost() {
	return document.getElementById('dialogs') || document.body;
}

function button(text, attrs) {
	return h('button', { type: 'button', class: 'btn', ...attrs }, text);
}

// ---- login dialog -------------------------------------------------------

function loginErrorText(err) {
	if (!(err instanceof ApiError))
		return t('common.error');
	if (err.code === 'bad_credentials')
		return t('login.bad_credentials');
	if (err.code === 'locked') {
		const seconds = (err.body && err.body.error && err.body.error.retry_after) || (err.body && err.body.retry_after);
		return seconds ? t('login.locked_for', { minutes: Math.max(1, Math.ceil(seconds / 60)) }) : t('login.locked');
	}
	return tx(err.message);
}

function buildLoginDialog() {
	const user = h('input', { id: 'login-user', name: 'user', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
	const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
	const message = h('p', { class: 'dialog-message', role: 'status' });
	const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
	const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('login.submit'));
	const cancel = button(t('common.cancel'), { on: { click: () => dialog.close() } });
	const form = h('form', { class: 'dialog-body', novalidate: true },
		h('div', { class: 'dialog-head' },
			h('span', { class: 'dialog-icon', 'aria-hidden': 'true' }, lockIcon()),
			h('h2', { id: 'login-title' }, t('login.title'))),
		message,
		field({ label: t('login.user'), input: user }),
		field({ label: t('login.password'), input: password }),
		error,
		h('div', { class: 'dialog-actions' }, cancel, submit));
	const dialog = h('dialog', { id: 'login-dialog', class: 'dialog dialog-narrow', 'aria-labelledby': 'login-title' }, form);
	form.addEventListener('submit', async event => {
		event.preventDefault();
		error.hidden = true;
		if (!user.value || !password.value) {
			showError(error, t('login.fill_both'));
			return;
		}
		submit.disabled = true;
		try {
			await login(user.value.trim(), password.value);
		} catch (err) {
			showError(error, loginErrorText(err));
			password.select();
		} finally {
			submit.disabled = false;
		}
	});
	dialog.addEventListener('close', () => {
		password.value = '';
		if (dialog.returnValue !== DONE)
			settleLogin(false);
	});
	return { dialog, user, password, message, error };
}

function lockIcon() {
	const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
	svg.setAttribute('viewBox', '0 0 24 24');
	svg.setAttribute('class', 'icon');
	const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
	path.setAttribute('d', 'M7 10V7a5 5 0 0 1 10 0v3M5 10h14v11H5z');
	svg.appendChild(path);
	return svg;
}

function showError(el, text) {
	el.textContent = text;
	el.hidden = false;
}

function openLoginDialog(messageText) {
	if (!loginDialog) {
		loginDialog = buildLoginDialog();
		dialogHost().appendChild(loginDialog.dialog);
	}
	const { dialog, user, password, message, error } = loginDialog;
	message.textContent = messageText || '';
	message.hidden = !messageText;
	error.hidden = true;
	if (!dialog.open) {
		dialog.returnValue = '';
		dialog.showModal();
	}
	(user.value ? password : user).focus();
}

function settleLogin(ok) {
	if (pendingLogin) {
		const { resolve } = pendingLogin;
		pendingLogin = null;
		resolve(ok);
	}
}

async function login(user, password) {
	const reply = await api.post('/login', { user, password });
	if (reply.must_change || reply.expired) {
		setCurrent({ ...reply, must_change: true });
		loginDialog.dialog.close(DONE);
		openPasswordDialog({ user, old: password, reason: reply.expired ? 'expired' : 'first' });
		return;
	}
	finishLogin(reply);
}

function finishLogin(reply) {
	setCurrent(reply);
	if (loginDialog && loginDialog.dialog.open)
		loginDialog.dialog.close(DONE);
	settleLogin(true);
	if (reply.days_left !== null && reply.days_left !== undefined)
		toast(t('login.days_left', { days: reply.days_left }), { kind: reply.days_left <= 7 ? 'warning' : 'info', timeout: 10000 });
}

// ---- password dialog ----------------------------------------------------

function policyList() {
	return h('ul', { class: 'policy' },
		['login.policy_length', 'login.policy_classes', 'login.policy_special', 'login.policy_old']
			.map(key => h('li', t(key))));
}

function buildPasswordDialog() {
	const old = h('input', { id: 'pw-old', name: 'old', type: 'password', autocomplete: 'current-password', required: true });
	const next = h('input', { id: 'pw-new', name: 'new', type: 'password', autocomplete: 'new-password', required: true, minlength: 12 });
	const confirm = h('input', { id: 'pw-confirm', name: 'confirm', type: 'password', autocomplete: 'new-password', required: true });
	const reason = h('p', { class: 'dialog-message' });
	const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
	const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('login.change'));
	const cancel = button(t('common.cancel'), { on: { click: () => dialog.close() } });
	const form = h('form', { class: 'dialog-body', novalidate: true },
		h('div', { class: 'dialog-head' },
			h('span', { class: 'dialog-icon', 'aria-hidden': 'true' }, lockIcon()),
			h('h2', { id: 'password-title' }, t('login.change_title'))),
		reason,
		field({ label: t('login.old_password'), input: old }),
		field({ label: t('login.new_password'), input: next }),
		field({ label: t('login.confirm_password'), input: confirm }),
		h('div', { class: 'policy-box' }, h('p', t('login.policy_title')), policyList()),
		error,
		h('div', { class: 'dialog-actions' }, cancel, submit));
	const dialog = h('dialog', { id: 'password-dialog', class: 'dialog', 'aria-labelledby': 'password-title' }, form);
	const state = { dialog, old, next, confirm, reason, error, user: null };
	form.addEventListener('submit', async event => {
		event.preventDefault();
		error.hidden = true;
		if (!old.value || !next.value) {
			showError(error, t('login.fill_both'));
			return;
		}
		if (next.value !== confirm.value) {
			showError(error, t('login.mismatch'));
			confirm.select();
			return;
		}
		submit.disabled = true;
		try {
			await changePassword(state);
		} catch (err) {
			showError(error, passwordErrorText(err));
		} finally {
			submit.disabled = false;
		}
	});
	dialog.addEventListener('close', () => {
		old.value = next.value = confirm.value = '';
		if (dialog.returnValue !== DONE)
			settleLogin(false);
	});
	return state;
}

function passwordErrorText(err) {
	if (!(err instanceof ApiError))
		return t('common.error');
	if (err.code === 'wrong_password')
		return t('login.wrong_password');
	if (err.code === 'login_required')
		return t('login.session_ended');
	return tx(err.message);
}

// The server closes the session after a change: log in again with the
// new password, so the user does not have to type it twice.
async function changePassword(state) {
	const user = state.user || (session.current && session.current.user);
	const newPassword = state.next.value;
	await api.post('/password', { old: state.old.value, new: newPassword });
	state.dialog.close(DONE);
	setCurrent(null);
	try {
		finishLogin(await api.post('/login', { user, password: newPassword }));
		toast(t('login.changed'), { kind: 'ok' });
	} catch (err) {
		openLoginDialog(loginErrorText(err));
		if (loginDialog)
			loginDialog.user.value = user;
	}
}

function openPasswordDialog({ user, old, reason }) {
	if (!passwordDialog) {
		passwordDialog = buildPasswordDialog();
		dialogHost().appendChild(passwordDialog.dialog);
	}
	const d = passwordDialog;
	d.user = user;
	d.old.value = old || '';
	const reasonKey = { first: 'login.must_change', expired: 'login.expired' }[reason];
	d.reason.textContent = reasonKey ? t(reasonKey) : '';
	d.reason.hidden = !reasonKey;
	d.error.hidden = true;
	if (!d.dialog.open) {
		d.dialog.returnValue = '';
		d.dialog.showModal();
	}
	(old ? d.next : d.old).focus();
}

// ---- public -------------------------------------------------------------

function waitForLogin(messageText) {
	if (!pendingLogin) {
		let resolve;
		const promise = new Promise(r => { resolve = r; });
		pendingLogin = { promise, resolve };
	}
	if (session.current && session.current.must_change)
		openPasswordDialog({ user: session.current.user, reason: 'first' });
	else
		openLoginDialog(messageText);
	return pendingLogin.promise;
}

export const session = {
	current: null,

	canWrite() {
		const role = session.current && !session.current.must_change && session.current.role;
		return role === 'read-write' || role === 'admin';
	},

	isAdmin() {
		return Boolean(session.current && !session.current.must_change && session.current.role === 'admin');
	},

	// "change": logged in or out, the role changed; "logout": the user logged out.
	on(name, fn) {
		if (!listeners[name])
			throw new Error(`session.on: unknown event ${name}`);
		listeners[name].add(fn);
		return () => listeners[name].delete(fn);
	},

	// Resolves true once a full session is open, false if the user closed the dialog.
	requireLogin() {
		if (session.current && !session.current.must_change)
			return Promise.resolve(true);
		return waitForLogin();
	},

	// The server ended the session (idle timeout, a newer login, a role change...).
	ended() {
		const previous = session.current;
		if (previous)
			setCurrent(null);
		const promise = waitForLogin(t('login.session_ended'));
		if (previous && loginDialog && !loginDialog.user.value)
			loginDialog.user.value = previous.user;
		return promise;
	},

	async logout() {
		try {
			await api.post('/logout');
		} catch {
			/* the session may already be gone: we are logged out either way */
		}
		setCurrent(null);
		emit('logout');
		return waitForLogin();
	},

	changePassword() {
		if (session.current)
			openPasswordDialog({ user: session.current.user, reason: 'voluntary' });
	},

	// Seconds before the idle timeout ends the session, or null.
	idleLeft() {
		if (!idleDeadline)
			return null;
		return Math.max(0, Math.round((idleDeadline - Date.now()) / 1000));
	},

	// At boot: is there a session already (cookie)? Resolves when a full
	// session is open, or false when the user dismissed the login dialog.
	async start() {
		setLoginHandler(() => session.ended());
		setActivityHandler(touch);
		try {
			const res = await fetch('/api/v1/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
			if (res.ok)
				setCurrent(await res.json());
		} catch {
			/* the gateway is unreachable: the login dialog says so on submit */
		}
		return session.requireLogin();
	},
};

export default session;
