// The bench's chart, hand-written SVG: per load shape the distribution of last key → in bridge (the share
// of callers in the bridge within x ms, log scale), native beside parley; then total CPU per joined caller.
import { column, SHAPE_TITLES, type ShapePair } from './report.js';

const COLORS = { native: '#4c72b0', parley: '#dd8452', app: '#a0522d', grid: '#ddd', text: '#222' };
const PANEL = { width: 300, height: 230, left: 50, top: 56 };

export function chartSvg(pairs: readonly ShapePair[], title: string): string {
  const panels = pairs.map((pair, i) => latencyPanel(pair, PANEL.left + i * (PANEL.width + 60)));
  const cpuLeft = PANEL.left + pairs.length * (PANEL.width + 60);
  const width = cpuLeft + 260;
  const height = PANEL.top + PANEL.height + 70;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="${COLORS.text}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    text(width / 2, 18, title, 'middle', 13),
    ...panels,
    cpuPanel(pairs, cpuLeft),
    legend(PANEL.left, height - 16),
    '</svg>',
  ].join('\n');
}

function latencyPanel(pair: ShapePair, left: number): string {
  const { top, width, height } = PANEL;
  const all = [...pair.native.joinLatenciesMs, ...pair.parley.joinLatenciesMs];
  const maxMs = Math.max(10, ...all);
  const decades = Math.ceil(Math.log10(maxMs));
  const x = (ms: number) => left + (Math.log10(Math.max(1, ms)) / decades) * width;
  const y = (share: number) => top + height - share * height;
  const parts = [text(left + width / 2, top - 10, `callers in the bridge within x ms of their last key, ${SHAPE_TITLES[pair.shape]}`, 'middle', 11)];
  for (let d = 0; d <= decades; d++) {
    parts.push(line(x(10 ** d), top, x(10 ** d), top + height, COLORS.grid));
    parts.push(text(x(10 ** d), top + height + 14, `${10 ** d} ms`, 'middle'));
  }
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(line(left, y(share), left + width, y(share), COLORS.grid));
    parts.push(text(left - 4, y(share) + 4, `${Math.round(share * 100)} %`, 'end'));
  }
  for (const side of ['native', 'parley'] as const) {
    const sorted = [...pair[side].joinLatenciesMs].sort((a, b) => a - b);
    if (sorted.length === 0) continue;
    const points = sorted.flatMap((ms, i) => [`${x(ms).toFixed(1)},${y(i / sorted.length).toFixed(1)}`, `${x(ms).toFixed(1)},${y((i + 1) / sorted.length).toFixed(1)}`]);
    parts.push(`<polyline fill="none" stroke="${COLORS[side]}" stroke-width="2" points="${points.join(' ')}"/>`);
  }
  return parts.join('\n');
}

function cpuPanel(pairs: readonly ShapePair[], left: number): string {
  const { top, height } = PANEL;
  const width = 200;
  const bars = pairs.flatMap((pair) => {
    const native = column(pair.native);
    const parley = column(pair.parley);
    const perCaller = (seconds: number | null, joined: number) => (seconds === null || joined === 0 ? 0 : (1000 * seconds) / joined);
    return [
      { label: `native\n${SHAPE_TITLES[pair.shape]}`, asterisk: perCaller(native.asteriskCpuS, native.joined), app: 0, side: 'native' as const },
      {
        label: `parley\n${SHAPE_TITLES[pair.shape]}`,
        asterisk: perCaller(parley.asteriskCpuS, parley.joined),
        app: perCaller(parley.appCpuS, parley.joined),
        side: 'parley' as const,
      },
    ];
  });
  const maxMs = Math.max(1, ...bars.map((b) => b.asterisk + b.app)) * 1.15;
  const y = (ms: number) => top + height - (ms / maxMs) * height;
  const slot = width / bars.length;
  const parts = [text(left + width / 2, top - 10, 'CPU per joined caller (Asterisk + app)', 'middle', 12)];
  parts.push(line(left, top + height, left + width, top + height, COLORS.text));
  bars.forEach((bar, i) => {
    const x = left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    parts.push(rect(x, y(bar.asterisk), w, top + height - y(bar.asterisk), COLORS[bar.side]));
    if (bar.app > 0) parts.push(rect(x, y(bar.asterisk + bar.app), w, y(bar.asterisk) - y(bar.asterisk + bar.app), COLORS.app));
    parts.push(text(x + w / 2, y(bar.asterisk + bar.app) - 4, `${(bar.asterisk + bar.app).toFixed(1)} ms`, 'middle'));
    bar.label.split('\n').forEach((part, k) => parts.push(text(x + w / 2, top + height + 14 + 12 * k, part, 'middle')));
  });
  return parts.join('\n');
}

function legend(left: number, y: number): string {
  const items = [
    ['native (ConfBridge, dialplan)', COLORS.native],
    ['parley (Asterisk part of CPU)', COLORS.parley],
    ['parley’s own CPU', COLORS.app],
  ] as const;
  return items.map(([label, color], i) => `${rect(left + i * 220, y - 9, 12, 10, color)}\n${text(left + i * 220 + 16, y, label, 'start')}`).join('\n');
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, value: string, anchor: 'start' | 'middle' | 'end', size?: number) =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}"${size ? ` font-size="${size}"` : ''}>${escape(value)}</text>`;
const line = (x1: number, y1: number, x2: number, y2: number, color: string) =>
  `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${color}"/>`;
const rect = (x: number, y: number, w: number, h: number, color: string) =>
  `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${color}"/>`;
