// DOM builders. Everything goes in as elements and text nodes, never as
// markup, so nothing the UPS or a user typed can inject HTML, and the CSP
// (no inline style, no inline script) always holds.
import { t } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
// Attributes that only take effect as properties on form controls.
const PROPS = new Set(['value', 'checked', 'selected', 'indeterminate', 'muted']);
let idCounter = 0;

function isAttrs(x) {
	return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Node);
}

function setAttr(el, key, value) {
	if (value === null || value === undefined || value === false)
		return;
	if (key === 'class')
		el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
	else if (key === 'text')
		el.textContent = value;
	else if (key === 'on')
		for (const [name, fn] of Object.entries(value))
			el.addEventListener(name, fn);
	else if (key === 'dataset')
		for (const [name, v] of Object.entries(value)) {
			if (v !== null && v !== undefined)
				el.dataset[name] = v;
		}
	else if (key === 'style')
		Object.assign(el.style, value);   // CSSOM: allowed by the CSP
	else if (PROPS.has(key) && !(el instanceof SVGElement))
		el[key] = value;
	else
		el.setAttribute(key, value === true ? '' : value);
}

function append(el, children) {
	for (const child of children) {
		if (child === null || child === undefined || child === false)
			continue;
		if (Array.isArray(child))
			append(el, child);
		else if (child instanceof Node)
			el.appendChild(child);
		else
			el.appendChild(document.createTextNode(String(child)));
	}
}

function build(el, attrs, children) {
	if (isAttrs(attrs)) {
		for (const [key, value] of Object.entries(attrs))
			setAttr(el, key, value);
	} else {
		children.unshift(attrs);
	}
	append(el, children);
	return el;
}

// h('button', {class: 'btn', on: {click: fn}}, 'Save')
export function h(tag, attrs, ...children) {
	return build(document.createElement(tag), attrs, children);
}

// s('circle', {cx: 5, cy: 5, r: 4, fill: 'var(--ok)'})
export function s(tag, attrs, ...children) {
	return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function clear(el) {
	while (el.firstChild)
		el.removeChild(el.firstChild);
	return el;
}

export function uid(prefix = 'ug') {
	idCounter += 1;
	return `${prefix}-${idCounter}`;
}

function cell(tag, column, content) {
	return h(tag, { class: column.align ? `align-${column.align}` : null }, content);
}

// A <table> with a <caption>, inside a box that scrolls horizontally on
// narrow screens. render(row) may return a Node, a string or a number.
export function table({ columns, rows, caption, empty }) {
	const head = h('thead', h('tr', columns.map(c => h('th', {
		scope: 'col', class: c.align ? `align-${c.align}` : null,
	}, c.label))));
	const body = h('tbody');
	for (const row of rows)
		body.appendChild(h('tr', columns.map(c => cell('td', c, c.render ? c.render(row) : row[c.key]))));
	if (!rows.length)
		body.appendChild(h('tr', { class: 'empty' },
			h('td', { colspan: columns.length }, empty || t('common.none'))));
	const tbl = h('table', { class: 'data' }, caption ? h('caption', caption) : null, head, body);
	return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption || null }, tbl);
}

// A labelled control: <label for>, the input, a help line and an error line,
// wired with aria-describedby. The error line is always there (empty and
// hidden until filled) so that a form can show a server's reason later:
// setFieldError(wrapper, text).
export function field({ label, input, help, error }) {
	if (!input.id)
		input.id = uid('f');
	const check = input.type === 'checkbox' || input.type === 'radio';
	const helpEl = help ? h('div', { class: 'field-help', id: `${input.id}-help` }, help) : null;
	const errorEl = h('div', { class: 'field-error', id: `${input.id}-error`, role: 'alert' });
	input.setAttribute('aria-describedby', [helpEl && helpEl.id, errorEl.id].filter(Boolean).join(' '));
	const labelEl = h('label', { for: input.id, class: 'field-label' }, label);
	const wrapper = check
		? h('div', { class: 'field field-check' }, input, labelEl, helpEl, errorEl)
		: h('div', { class: 'field' }, labelEl, input, helpEl, errorEl);
	setFieldError(wrapper, error);
	return wrapper;
}

export function setFieldError(wrapper, text) {
	const errorEl = wrapper.querySelector('.field-error');
	const input = wrapper.querySelector('input, select, textarea');
	errorEl.textContent = text || '';
	errorEl.hidden = !text;
	if (input && text)
		input.setAttribute('aria-invalid', 'true');
	else if (input)
		input.removeAttribute('aria-invalid');
}

// A short message in the corner (saved, password expiry...). role=status is
// announced by screen readers; errors use role=alert.
export function toast(text, { kind = 'info', timeout = 6000 } = {}) {
	let host = document.getElementById('toasts');
	if (!host) {
		host = h('div', { id: 'toasts', class: 'toasts' });
		document.body.appendChild(host);
	}
	const close = h('button', { type: 'button', class: 'icon-btn toast-close', 'aria-label': t('common.close') }, '×');
	const box = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
		h('span', { class: 'toast-text' }, text), close);
	const remove = () => box.remove();
	close.addEventListener('click', remove);
	if (timeout)
		setTimeout(remove, timeout);
	host.appendChild(box);
	return remove;
}
