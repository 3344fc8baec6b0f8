// The JSON API client: one place for the CSRF header, the error shape and
// the "session ended" path (a 401 login_required asks session.js for a new
// login, then the call is retried once).
import { toast } from './dom.js';
import { t } from './i18n.js';

const BASE = '/api/v1';
let csrfToken = null;
let loginHandler = null;     // () => Promise<boolean>: true when logged in again
let activityHandler = null;  // () => void: a request reset the idle timer

export class ApiError extends Error {
	constructor(status, code, message, body) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.body = body;
	}
}

export function setCsrf(token) {
	csrfToken = token || null;
}

export function setLoginHandler(fn) {
	loginHandler = fn;
}

export function setActivityHandler(fn) {
	activityHandler = fn;
}

export function apiUrl(path, query) {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query || {})) {
		if (value !== null && value !== undefined && value !== '')
			params.append(key, value);
	}
	const qs = params.toString();
	return BASE + path + (qs ? `?${qs}` : '');
}

async function parseError(res) {
	let body = null;
	try {
		body = await res.json();
	} catch {
		body = null;
	}
	const err = (body && body.error) || {};
	return new ApiError(res.status, err.code || `http_${res.status}`,
		err.message || res.statusText || t('common.error'), body);
}

async function send(method, path, { query, body, raw } = {}) {
	const headers = { Accept: 'application/json' };
	const init = { method, headers, credentials: 'same-origin' };
	if (method !== 'GET' && method !== 'HEAD' && csrfToken)
		headers['X-CSRF-Token'] = csrfToken;
	if (raw !== undefined) {
		headers['Content-Type'] = raw.trimStart().startsWith('{') ? 'application/json' : 'text/plain';
		init.body = raw;
	} else if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	let res;
	try {
		res = await fetch(apiUrl(path, query), init);
	} catch {
		throw new ApiError(0, 'network', t('app.network_error'), null);
	}
	if (!res.ok)
		throw await parseError(res);
	if (activityHandler)
		activityHandler();
	if (res.status === 204)
		return null;
	const type = res.headers.get('Content-Type') || '';
	return type.includes('json') ? res.json() : res.text();
}

async function request(method, path, options) {
	try {
		return await send(method, path, options);
	} catch (err) {
		const retry = err instanceof ApiError && err.status === 401 && err.code === 'login_required'
			&& loginHandler && path !== '/login';
		if (retry && await loginHandler())
			return send(method, path, options);
		throw err;
	}
}

export const api = {
	get: (path, query) => request('GET', path, { query }),
	post: (path, body) => request('POST', path, { body }),
	put: (path, body) => request('PUT', path, { body }),
	del: path => request('DELETE', path, {}),
	upload: (path, text, method = 'PUT') => request(method, path, { raw: text }),
	// A navigation to the URL: the browser saves the attachment (cookies go
	// with it). The session is checked first, so that an ended session brings
	// the login dialog rather than a saved error page.
	async download(path, query) {
		try {
			await request('GET', '/session', {});
		} catch (err) {
			toast(err.message, { kind: 'error' });
			return;
		}
		const link = document.createElement('a');
		link.href = apiUrl(path, query);
		link.download = '';
		link.hidden = true;
		document.body.appendChild(link);
		link.click();
		link.remove();
	},
};

export default api;
