import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { formatNumber, formatPercent } from '../format';

// Only what the two charts use, so the bundle carries no other chart type.
Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Tooltip,
);
Chart.defaults.animation = false; // nothing moves: calmer to read, and screenshots are stable
Chart.defaults.font.family = 'system-ui, sans-serif';

function useChart(config: ChartConfiguration) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [JSON.stringify(config.data)]);
  return canvas;
}

interface Series {
  labels: string[];
  values: number[];
  /** What the chart shows, for screen readers (the same numbers are in a table beside it). */
  label: string;
}

export function TrendChart({ labels, values, label }: Series) {
  const canvas = useChart({
    type: 'line',
    data: {
      labels,
      datasets: [{ data: values, borderColor: '#0b6e4f', backgroundColor: '#0b6e4f', tension: 0.2 }],
    },
    options: {
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => formatNumber(Number(v)) } } },
      plugins: { tooltip: { callbacks: { label: (item) => formatNumber(Number(item.raw)) } } },
    },
  });
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

export function RankingChart({ labels, values, label }: Series) {
  const canvas = useChart({
    type: 'bar',
    data: { labels, datasets: [{ data: values, backgroundColor: '#1f5fa8' }] },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: { x: { beginAtZero: true, ticks: { callback: (v) => formatPercent(Number(v)) } } },
      plugins: { tooltip: { callbacks: { label: (item) => formatPercent(Number(item.raw)) } } },
    },
  });
  return (
    <div class="chart" style={{ height: `${Math.max(160, labels.length * 22 + 40)}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

/** Vertical bars of counts (claims per month, …). */
export function CountChart({ labels, values, label }: Series) {
  const canvas = useChart({
    type: 'bar',
    data: { labels, datasets: [{ data: values, backgroundColor: '#0b6e4f' }] },
    options: {
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => formatNumber(Number(v)) } } },
      plugins: { tooltip: { callbacks: { label: (item) => formatNumber(Number(item.raw)) } } },
    },
  });
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
