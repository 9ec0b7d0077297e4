import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * A time-series line chart (uPlot, loaded on first use: it is not part of the initial bundle). The
 * canvas is a picture for sighted users; the same numbers are always in a table right below it
 * (`<details>`), which is what screen readers and keyboard users read.
 */
export interface Series {
  label: string;
  /** One value per x, null where the series has none. */
  values: Array<number | null>;
  color: string;
}

export interface ChartProps {
  title: string;
  /** X values as epoch seconds. */
  x: number[];
  series: Series[];
  /** Y axis range, when it is fixed by the scale (e.g. 0–100). */
  yRange?: [number, number];
  unit?: string;
}

export const LineChart = ({ title, x, series, yRange, unit }: ChartProps) => {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!host.current || x.length === 0) return;
    let chart: { destroy(): void; setSize(size: { width: number; height: number }): void } | undefined;
    let observer: ResizeObserver | undefined;
    let live = true;
    void import('uplot')
      .then(({ default: UPlot }) => {
        if (!live || !host.current) return;
        const width = Math.max(280, host.current.clientWidth);
        chart = new UPlot(
          {
            width,
            height: 240,
            scales: { x: { time: true }, ...(yRange ? { y: { range: yRange } } : {}) },
            axes: [{}, { label: unit ?? '' }],
            series: [
              {},
              ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: true } })),
            ],
          },
          [x, ...series.map((s) => s.values)],
          host.current,
        );
        observer = new ResizeObserver(() => {
          if (host.current) chart?.setSize({ width: Math.max(280, host.current.clientWidth), height: 240 });
        });
        observer.observe(host.current);
      })
      .catch(() => setFailed(true));
    return () => {
      live = false;
      observer?.disconnect();
      chart?.destroy();
    };
  }, [x, series, yRange, unit]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {x.length === 0 ? (
        <p>Nothing to show yet.</p>
      ) : (
        <>
          {failed ? <p>The chart could not be drawn; the numbers are below.</p> : null}
          <div
            ref={host}
            class="chart-canvas"
            role="img"
            aria-label={`${title}: chart; the numbers are in the table below.`}
          />
          <details>
            <summary>The numbers</summary>
            <table>
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  {series.map((s) => (
                    <th scope="col" key={s.label}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {x.map((when, index) => (
                  <tr key={when}>
                    <th scope="row">{new Date(when * 1000).toLocaleDateString()}</th>
                    {series.map((s) => (
                      <td key={s.label}>{s.values[index] ?? '—'}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
};

/** Horizontal bars drawn with plain elements (no library): a share of a whole, with the number written. */
export const Bar = ({
  label,
  value,
  max,
  text,
}: {
  label: string;
  value: number;
  max: number;
  text: string;
}) => (
  <div class="bar">
    <span class="bar-label">{label}</span>
    <span class="bar-track" aria-hidden="true">
      <span
        class="bar-fill"
        style={{ width: `${Math.max(0, Math.min(100, (value / (max || 1)) * 100))}%` }}
      />
    </span>
    <span class="bar-value">{text}</span>
  </div>
);
