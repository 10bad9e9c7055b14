import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, type ChartItem, type Plugin } from 'chart.js';
import type { LanguageCode } from '../../../surveys/languages.js';
import { canvasFontFamily } from './fonts.js';

// Only what a horizontal bar chart needs: no animation, legend or tooltip code is loaded.
Chart.register(BarController, BarElement, CategoryScale, LinearScale);

export interface ReachChartInput {
  lang: LanguageCode;
  dir: 'ltr' | 'rtl';
  topics: { name: string; reach: number; low: number; high: number }[];
  accent: string;
  percent: (share: number) => string;
}

export interface ChartImage {
  png: Buffer;
  /** Size in CSS pixels; the PNG itself is drawn at twice that for print. */
  width: number;
  height: number;
}

const WIDTH = 640;
const FONT_SIZE = 13;
const LABEL_WIDTH = 210;

/** Draws each topic's interval (low–high) as a black whisker over its bar. */
function whiskers(topics: ReachChartInput['topics']): Plugin<'bar'> {
  return {
    id: 'intervalWhiskers',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const x = chart.scales.x!;
      ctx.save();
      ctx.strokeStyle = '#000000';
      ctx.lineWidth = 1.5;
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        const topic = topics[i];
        if (!topic) return;
        const { y, height } = bar.getProps(['y', 'height'], true) as { y: number; height: number };
        const [x1, x2] = [x.getPixelForValue(topic.low), x.getPixelForValue(topic.high)];
        const cap = height * 0.3;
        ctx.beginPath();
        ctx.moveTo(x1, y);
        ctx.lineTo(x2, y);
        for (const end of [x1, x2]) {
          ctx.moveTo(end, y - cap);
          ctx.lineTo(end, y + cap);
        }
        ctx.stroke();
      });
      ctx.restore();
    },
  };
}

// Paper white behind the chart: an opaque PNG goes into the PDF as is, while one with an
// alpha channel has to be decoded and split in JavaScript by pdfkit on every render.
const paperWhite: Plugin<'bar'> = {
  id: 'paperWhite',
  beforeDraw(chart) {
    chart.ctx.save();
    chart.ctx.fillStyle = '#ffffff';
    chart.ctx.fillRect(0, 0, chart.width, chart.height);
    chart.ctx.restore();
  },
};

/** Splits a topic name into at most two lines that fit the label column. */
function labelLines(ctx: SKRSContext2D, name: string): string[] {
  const words = /\s/u.test(name) ? name.split(/\s+/u) : [...name];
  const joiner = /\s/u.test(name) ? ' ' : '';
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line}${joiner}${word}` : word;
    if (line && ctx.measureText(next).width > LABEL_WIDTH) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  if (lines.length <= 2) return lines;
  let second = lines.slice(1).join(joiner);
  while (second.length > 1 && ctx.measureText(`${second}…`).width > LABEL_WIDTH) second = second.slice(0, -1);
  return [lines[0]!, `${second.trimEnd()}…`];
}

/**
 * Renders the top topics' reach as a horizontal bar chart with interval whiskers, with
 * Chart.js on a server-side canvas (no browser). Mirrored for right-to-left summaries.
 */
export function renderReachChart(input: ReachChartInput): ChartImage {
  const { topics, dir } = input;
  const family = canvasFontFamily(input.lang);
  const height = 36 + topics.length * 34;
  const canvas = createCanvas(WIDTH, height);
  const measureCtx = createCanvas(10, 10).getContext('2d');
  measureCtx.font = `${FONT_SIZE}px ${family}`;
  const maxHigh = Math.max(...topics.map((t) => t.high), 0.1);
  const font = { family, size: FONT_SIZE };

  const chart = new Chart(canvas as unknown as ChartItem, {
    type: 'bar',
    data: {
      labels: topics.map((t) => labelLines(measureCtx, t.name)),
      datasets: [
        {
          data: topics.map((t) => t.reach),
          backgroundColor: `${input.accent}99`,
          borderColor: input.accent,
          borderWidth: 1,
          barPercentage: 0.7,
          categoryPercentage: 0.9,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: false,
      devicePixelRatio: 2,
      layout: { padding: { left: 4, right: 12, top: 4, bottom: 0 } },
      scales: {
        x: {
          min: 0,
          max: Math.min(1, Math.ceil((maxHigh + 0.02) * 10) / 10),
          reverse: dir === 'rtl',
          grid: { color: '#d9d9d9' },
          border: { color: '#000000' },
          ticks: { color: '#000000', font, maxTicksLimit: 6, callback: (value) => input.percent(Number(value)) },
        },
        y: {
          position: dir === 'rtl' ? 'right' : 'left',
          grid: { display: false },
          border: { color: '#000000' },
          ticks: { color: '#000000', font, autoSkip: false, crossAlign: dir === 'rtl' ? 'far' : 'near' },
        },
      },
    },
    plugins: [paperWhite, whiskers(topics)],
  });
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  return { png, width: WIDTH, height };
}
