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

const TIER_COLOURS = [ACCENT, '#4a86c5'];

/**
 * Ranking chart: a dashed line where a new tier starts, and each tier's name at the far end of
 * its first bar, so the chart reads as "these are about equal" blocks.
 */
const tierMarks = {
  id: 'tierMarks',
  afterDatasetsDraw(chart, _args, options) {
    const { tiers, names } = options;
    if (!tiers) return;
    const { ctx, chartArea } = chart;
    const bars = chart.getDatasetMeta(0).data;
    ctx.save();
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.fillStyle = '#1b1f24';
    ctx.strokeStyle = '#4a5260';
    ctx.setLineDash([4, 3]);
    ctx.textAlign = rtl ? 'left' : 'right';
    ctx.textBaseline = 'middle';
    bars.forEach((bar, i) => {
      if (i > 0 && tiers[i] === tiers[i - 1]) return;
      if (i > 0) {
        const y = (bars[i - 1].y + bar.y) / 2;
        ctx.beginPath();
        ctx.moveTo(chartArea.left, y);
        ctx.lineTo(chartArea.right, y);
        ctx.stroke();
      }
      ctx.fillText(names[tiers[i]] ?? '', rtl ? chartArea.left + 4 : chartArea.right - 4, bar.y);
    });
    ctx.restore();
  },
};

/** Group comparison: a pale band behind the topics that stand out (their labels carry a ★ too). */
const flagBands = {
  id: 'flagBands',
  beforeDatasetsDraw(chart, _args, options) {
    const { flagged } = options;
    if (!flagged) return;
    const { ctx, chartArea } = chart;
    const y = chart.scales.y;
    ctx.save();
    ctx.fillStyle = '#fff4ce';
    flagged.forEach((on, i) => {
      if (!on) return;
      const half = (y.getPixelForValue(1) - y.getPixelForValue(0)) / 2 || 12;
      const centre = y.getPixelForValue(i);
      ctx.fillRect(chartArea.left, centre - half, chartArea.right - chartArea.left, half * 2);
    });
    ctx.restore();
  },
};

function config(spec) {
  const base = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, locale: document.documentElement.lang };
  if (spec.type === 'topics') {
    return {
      type: 'bar',
      // Drawn in order of reach, the value each bar shows (the table beside it ranks by the
      // combined score): a longer bar is never below a shorter one, and tiers read top-down.
      data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.reach, backgroundColor: (spec.tiers ?? []).map((n) => TIER_COLOURS[(n - 1) % 2]) }] },
      options: {
        ...base,
        indexAxis: 'y',
        scales: { x: { min: 0, max: Math.min(1, Math.ceil(Math.max(...spec.high) * 10) / 10 + 0.2), reverse: rtl, ticks: { callback: (v) => percent(v) } }, y: { position: rtl ? 'right' : 'left' } },
        plugins: {
          ...base.plugins,
          whiskers: { low: spec.low, high: spec.high },
          tierMarks: { tiers: spec.tiers, names: spec.tierLabels ?? {} },
          tooltip: { callbacks: { label: (c) => `${percent(c.raw)} (${percent(spec.low[c.dataIndex])} – ${percent(spec.high[c.dataIndex])}) · ${spec.tierLabels?.[spec.tiers?.[c.dataIndex]] ?? ''}` } },
        },
      },
      plugins: [whiskers, tierMarks],
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
        plugins: { legend: { display: true, position: 'bottom' }, flagBands: { flagged: spec.flagged }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${percent(c.raw)}` } } },
        scales: { x: { beginAtZero: true, reverse: rtl, ticks: { callback: (v) => percent(v) } }, y: { position: rtl ? 'right' : 'left', ticks: { font: (c) => (spec.flagged?.[c.index] ? { weight: 'bold' } : {}) } } },
      },
      plugins: spec.flagged ? [flagBands] : [],
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
  // Kept on the canvas so browser tests can compare what is drawn with the table beside it.
  canvas.chart = new Chart(canvas, config(spec));
}

for (const section of document.querySelectorAll('section[data-open-text]')) loadOpenText(section);
