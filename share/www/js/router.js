// Hash routes ("#/params/2/battery?x=1") to page modules imported on first
// use. A page that fails to load or to mount shows its error in place; the
// router and the rest of the shell carry on. Before a page goes, its
// canLeave() hook and the checks it added (leaveCheck: unsaved forms) may
// keep it: then the browser goes back (or forward) to the page's history
// entry, which the router numbers in history.state.
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { live } from './live.js';
import { session } from './session.js';

// pattern "params/:n/:section" -> {regexp, names}
function compile(pattern) {
	const names = [];
	const source = pattern.split('/').map(part => {
		if (!part.startsWith(':'))
			return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		names.push(part.slice(1));
		return '([^/]+)';
	}).join('/');
	return { regexp: new RegExp(`^${source}$`), names };
}

export function parseHash(hash) {
	const raw = (hash || '').replace(/^#\/?/, '');
	const [path, qs = ''] = raw.split('?');
	return { path: path.replace(/\/+$/, ''), query: Object.fromEntries(new URLSearchParams(qs)) };
}

export function nav(path) {
	const target = path.startsWith('#') ? path : `#/${path.replace(/^\/+/, '')}`;
	if (location.hash === target)
		window.dispatchEvent(new HashChangeEvent('hashchange'));
	else
		location.hash = target;
}

// Checks of the page on screen, dropped when it goes.
const leaveChecks = new Set();

// fn() -> true | false | Promise: false keeps the page (form.js: unsaved changes).
export function leaveCheck(fn) {
	leaveChecks.add(fn);
	return () => leaveChecks.delete(fn);
}

// routes: [{pattern, load: () => import(...), name, check?(params) -> bool}]
// redirect(path) -> another path or null (for "#/").
export class Router {
	constructor({ routes, outlet, redirect, onRoute }) {
		this.routes = routes.map(r => ({ ...r, ...compile(r.pattern) }));
		this.outlet = outlet;
		this.redirect = redirect;
		this.onRoute = onRoute || (() => {});
		this.current = null;   // {module, ctx, offs, route, path, hash}
		this.serial = 0;
		this.rendered = 0;     // pages shown so far: the first keeps the focus where it is
		this.position = 0;     // history.state.routerPosition of the page on screen
		this.returning = '';   // the hash we are going back to after a refusal: no render
		this.onHashChange = () => {
			const back = this.returning;
			this.returning = '';
			if (location.hash !== back)
				this.render();
		};
	}

	start() {
		window.addEventListener('hashchange', this.onHashChange);
		return this.render();
	}

	match(path) {
		for (const route of this.routes) {
			const m = route.regexp.exec(path);
			if (!m)
				continue;
			const params = {};
			route.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
			if (!route.check || route.check(params))
				return { route, params };
		}
		return null;
	}

	// The page's canLeave() hook, then the checks it added; a check that
	// throws does not keep the user prisoner.
	async mayLeave() {
		const cur = this.current;
		const checks = [...leaveChecks];
		if (cur && cur.module.canLeave)
			checks.unshift(() => cur.module.canLeave());
		for (const check of checks) {
			try {
				if (!(await check()))
					return false;
			} catch (err) {
				console.error(err);
			}
		}
		return true;
	}

	unmount() {
		const cur = this.current;
		this.current = null;
		leaveChecks.clear();
		if (!cur)
			return;
		for (const off of cur.offs)
			off();
		try {
			if (cur.module && cur.module.unmount)
				cur.module.unmount();
		} catch (err) {
			console.error(err);
		}
	}

	// Re-mount the current page (language or session change): nothing to ask.
	reload() {
		return this.render({ force: true });
	}

	// The page stays: return to its history entry (a link or a typed address
	// made a new one; back and forward moved to a numbered one).
	stay(shownHash) {
		const position = history.state?.routerPosition;
		const delta = this.position - (position === undefined ? this.position + 1 : position);
		if (delta === 0)
			return;
		this.returning = shownHash;
		history.go(delta);
	}

	// Number the entry of the page now on screen.
	remember() {
		const position = history.state?.routerPosition;
		this.position = position === undefined ? this.position + 1 : position;
		history.replaceState({ ...history.state, routerPosition: this.position }, '');
	}

	async render({ force = false } = {}) {
		const asked = parseHash(location.hash).path;
		const target = this.redirect(asked);
		if (target && target !== asked)
			history.replaceState(history.state, '', `#/${target}`);   // no hash change: this render goes on
		const hash = location.hash;
		if (!force && this.current && !(await this.mayLeave())) {
			if (location.hash === hash)
				this.stay(this.current.hash);
			return;
		}
		if (location.hash !== hash)
			return;   // the user went elsewhere meanwhile: that hash change renders
		this.remember();
		const serial = ++this.serial;
		const { path, query } = parseHash(hash);
		this.unmount();
		const found = this.match(path);
		const section = h('section', { class: 'page', dataset: { page: found ? found.route.name : 'not-found' } });
		const heading = h('h1', { class: 'page-title', tabindex: -1 });
		const head = h('header', { class: 'page-head' }, heading);
		clear(this.outlet).append(head, section);
		this.onRoute(found ? found.route : null, path);
		// A new page: start at its top and tell screen readers where we are.
		if (this.rendered++ > 0) {
			window.scrollTo(0, 0);
			heading.focus({ preventScroll: true });
		}
		if (!found) {
			this.setTitle(heading, t('app.not_found_title'));
			section.appendChild(errorBox(t('app.not_found'), `#/${path}`));
			return;
		}
		let module;
		try {
			module = (await found.route.load()).default;
			if (!module || typeof module.mount !== 'function')
				throw new Error(t('app.page_invalid'));
		} catch (err) {
			if (serial !== this.serial)
				return;
			this.setTitle(heading, t('app.page_failed_title'));
			section.dataset.ready = 'error';
			section.appendChild(errorBox(t('app.page_failed'), err && err.message, () => this.render()));
			return;
		}
		if (serial !== this.serial)
			return;
		const offs = [];
		const ctx = {
			params: found.params,
			query,
			nav,
			on: (name, fn) => { const off = live.on(name, fn); offs.push(off); return off; },
			canWrite: session.canWrite(),
			isAdmin: session.isAdmin(),
			setTitle: text => this.setTitle(heading, text),
		};
		this.current = { module, ctx, offs, route: found.route, path, hash };
		const title = typeof module.title === 'function' ? module.title(ctx) : t(module.title || 'app.name');
		this.setTitle(heading, title);
		try {
			await module.mount(section, ctx);
		} catch (err) {
			if (serial !== this.serial)
				return;
			console.error(err);
			section.dataset.ready = 'error';
			section.appendChild(errorBox(t('app.page_error'), err && err.message, () => this.render()));
		}
	}

	setTitle(heading, text) {
		heading.textContent = text;
		const name = live.status && live.status.name;
		document.title = name ? `${text} · ${name}` : `${text} · upsgate`;
	}
}

function errorBox(title, detail, retry) {
	return h('div', { class: 'notice notice-critical', role: 'alert' },
		h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '!'),
		h('div', { class: 'notice-body' },
			h('strong', title),
			detail ? h('p', { class: 'notice-detail' }, detail) : null,
			retry ? h('button', { type: 'button', class: 'btn btn-small', on: { click: retry } }, t('common.retry')) : null));
}
