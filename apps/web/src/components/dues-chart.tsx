import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { formatRupiah } from '../format';

// Two series side by side need a legend; the other charts register the rest.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Owed against paid, month by month (the same figures are in the table beside it). */
export function OwedPaidChart({
  labels,
  owed,
  paid,
  names,
  label,
}: {
  labels: string[];
  owed: number[];
  paid: number[];
  names: { owed: string; paid: string };
  label: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: names.owed, data: owed, backgroundColor: '#1f5fa8' },
          { label: names.paid, data: paid, backgroundColor: '#0b6e4f' },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatRupiah(Number(v)) } } },
        plugins: {
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${formatRupiah(Number(item.raw))}` },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify([labels, owed, paid, names])]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
