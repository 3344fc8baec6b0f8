// The shell's line icons (24x24, stroked with currentColor), drawn here so
// that no icon font or third-party set is needed. Always decorative: the
// text next to them, or an aria-label on the control, says the meaning.
import { s } from './dom.js';

const PATHS = {
	overview: ['M3 3h7v7H3z', 'M14 3h7v7h-7z', 'M14 14h7v7h-7z', 'M3 14h7v7H3z'],
	dashboard: ['M4 14a8 8 0 1 1 16 0', 'M12 14l4-5', 'M3 18h18'],
	realtime: ['M3 12h4l3-8 4 16 3-8h4'],
	alarm: ['M6 16V11a6 6 0 0 1 12 0v5l2 2H4z', 'M10 21h4'],
	clock: ['M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z', 'M12 7v5l3 3'],
	gear: ['M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z', 'M12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1L7 17M17 7l2.1-2.1'],
	services: ['M4 4h16v6H4z', 'M4 14h16v6H4z', 'M8 7h.01M8 17h.01'],
	users: ['M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M2 21v-1a6 6 0 0 1 12 0v1', 'M16 3.5a4 4 0 0 1 0 7', 'M18 14.5a6 6 0 0 1 4 5.5v1'],
	key: ['M8 15a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M11 11h10v4M17 11v3'],
	network: ['M12 3v6', 'M5 21v-5h14v5', 'M12 9v7', 'M9 3h6', 'M3 21h4M10 21h4M17 21h4'],
	modbus: ['M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3z', 'M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6', 'M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3'],
	building: ['M4 21V4h10v17', 'M14 9h6v12', 'M2 21h20', 'M8 8h2M8 12h2M8 16h2'],
	shield: ['M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z'],
	link: ['M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1', 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1'],
	globe: ['M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z', 'M3 12h18', 'M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3z'],
	terminal: ['M3 4h18v16H3z', 'M7 9l3 3-3 3', 'M13 15h4'],
	graph: ['M3 3v18h18', 'M7 15l4-5 3 3 5-7'],
	table: ['M3 4h18v16H3z', 'M3 10h18M3 15h18M9 4v16'],
	extended: ['M3 3v18h18', 'M7 16v-4M11 16V8M15 16v-6M19 16V6'],
	log: ['M6 3h9l4 4v14H6z', 'M14 3v5h5', 'M9 12h7M9 16h7'],
	trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 14h10l1-14'],
	external: ['M14 4h6v6', 'M20 4l-9 9', 'M18 14v6H4V6h6'],
	chevron: ['M6 9l6 6 6-6'],
	menu: ['M4 6h16M4 12h16M4 18h16'],
	logout: ['M15 4h4v16h-4', 'M10 8l-4 4 4 4', 'M6 12h10'],
	login: ['M15 4h4v16h-4', 'M9 8l4 4-4 4', 'M3 12h10'],
	password: ['M5 11h14v10H5z', 'M8 11V7a4 4 0 0 1 8 0v4'],
	info: ['M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z', 'M12 11v6M12 7.5v.5'],
};

export function icon(name, extraClass) {
	return s('svg', { class: extraClass ? `icon ${extraClass}` : 'icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
		(PATHS[name] || PATHS.info).map(d => s('path', { d })));
}
