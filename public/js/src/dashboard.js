// Draws the dashboard charts from the data in each figure's data-chart attribute. The page
// is complete without this file: every chart has a visible table with the same numbers.
// Also loads the open answers in place of the link to their page (open-text-loader.js).
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { loadOpenText } from './open-text-loader.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

const ACCENT = '#0b5cab';
const SECOND = '#d97706';
const rtl = document.documentElement.dir === 'rtl';
const percent = (v) => `${Math.round(v * 1000) / 10}%`;

/** Draws the 95% interval as a whisker across each horizontal bar. */
const whiskers = {
  id: 'whiskers',
  afterDatasetsDraw(chart, _args, options) {
    const { low, high } = options;
    if (!low || !high) return;
    const meta = chart.getDatasetMeta(0);
    const x = chart.scales.x;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = '#1b1f24';
    ctx.lineWidth = 1.5;
    meta.data.forEach((bar, i) => {
      const y = bar.y;
      const x1 = x.getPixelForValue(low[i]);
      const x2 = x.getPixelForValue(high[i]);
      ctx.beginPath();
      ctx.moveTo(x1, y);
      ctx.lineTo(x2, y);
      ctx.moveTo(x1, y - 5);
      ctx.lineTo(x1, y + 5);
      ctx.moveTo(x2, y - 5);
      ctx.lineTo(x2, y + 5);
      ctx.stroke();
    });
    ctx.restore();
  },
};

function config(spec) {
  const base = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, locale: document.documentElement.lang };
  if (spec.type === 'topics') {
    return {
      type: 'bar',
      data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.reach, backgroundColor: ACCENT }] },
      options: {
        ...base,
        indexAxis: 'y',
        scales: { x: { min: 0, max: Math.min(1, Math.ceil(Math.max(...spec.high) * 10) / 10 + 0.1), reverse: rtl, ticks: { callback: (v) => percent(v) } }, y: { position: rtl ? 'right' : 'left' } },
        plugins: { ...base.plugins, whiskers: { low: spec.low, high: spec.high }, tooltip: { callbacks: { label: (c) => `${percent(c.raw)} (${percent(spec.low[c.dataIndex])} – ${percent(spec.high[c.dataIndex])})` } } },
      },
      plugins: [whiskers],
    };
  }
  if (spec.type === 'line') {
    return {
      type: 'line',
      data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.values, borderColor: ACCENT, backgroundColor: ACCENT, pointRadius: 2 }] },
      options: { ...base, scales: { x: { reverse: rtl }, y: { beginAtZero: true, position: rtl ? 'right' : 'left', ticks: { precision: 0 } } } },
    };
  }
  if (spec.type === 'grouped') {
    return {
      type: 'bar',
      data: { labels: spec.labels, datasets: spec.series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: i === 0 ? ACCENT : SECOND })) },
      options: {
        ...base,
        indexAxis: 'y',
        plugins: { legend: { display: true, position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${percent(c.raw)}` } } },
        scales: { x: { beginAtZero: true, reverse: rtl, ticks: { callback: (v) => percent(v) } }, y: { position: rtl ? 'right' : 'left' } },
      },
    };
  }
  return {
    type: 'bar',
    data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.values, backgroundColor: ACCENT }] },
    options: { ...base, indexAxis: 'y', scales: { x: { beginAtZero: true, reverse: rtl, ticks: { precision: 0 } }, y: { position: rtl ? 'right' : 'left' } } },
  };
}

for (const figure of document.querySelectorAll('figure.chart[data-chart]')) {
  let spec;
  try {
    spec = JSON.parse(figure.dataset.chart);
  } catch {
    continue;
  }
  if (!spec || !spec.labels || spec.labels.length === 0) continue;
  const wrapper = document.createElement('div');
  wrapper.className = 'chart__canvas';
  const rows = spec.labels.length;
  wrapper.style.height = `${spec.type === 'line' ? 220 : Math.max(160, rows * (spec.type === 'grouped' ? 34 : 26) + 60)}px`;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', figure.querySelector('figcaption')?.textContent ?? '');
  wrapper.append(canvas);
  figure.querySelector('figcaption')?.after(wrapper);
  new Chart(canvas, config(spec));
}

for (const section of document.querySelectorAll('section[data-open-text]')) loadOpenText(section);
