// Small DOM helpers shared by the panel's modules.
export const $ = (id) => document.getElementById(id);

export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function button(label, onClick, extra = {}) {
  return el('button', { type: 'button', textContent: label, onclick: onClick, ...extra });
}

/** "4:05" or "1:02:09": how long since an ISO time, for joined callers and a running recording. */
export function elapsed(since, now = Date.now()) {
  const total = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Every element showing a duration carries data-since; one timer keeps them all current. */
export function tickDurations() {
  for (const node of document.querySelectorAll('[data-since]')) node.textContent = elapsed(node.dataset.since);
}

/** Says something to screen readers through the page's polite live region (roster and flag changes). */
export function announce(text) {
  const region = $('announce');
  // Cleared first so the same words said twice in a row are read twice.
  region.textContent = '';
  setTimeout(() => (region.textContent = text), 50);
}
