import { formatFen } from "./money";
import type { DailySeries, DashboardWindow } from "./dashboard-series";

/** A series value as an operator reads it: ¥ for money, a plain count otherwise. */
export const formatValue = (s: Pick<DailySeries, "unit">, v: number) => (s.unit === "fen" ? (v < 0 ? `-${formatFen(-v)}` : formatFen(v)) : String(v));

const W = 600;
const H = 180;
const TOP = 24;
const PLOT = 128;

/**
 * One series as a bar chart drawn on the server: plain SVG (the console's CSP allows no script, and a chart needs
 * none), a viewBox so it scales to any width, a <title> and aria-label for screen readers, and the same values in
 * a table under <details> (each day linking to the list behind it).
 */
export function DailyChart({ series: s, window: w }: { series: DailySeries; window: DashboardWindow }) {
  const high = Math.max(0, ...s.values);
  const low = Math.min(0, ...s.values);
  const range = high - low || 1;
  const y = (v: number) => TOP + ((high - v) / range) * PLOT;
  const zero = y(0);
  const step = W / s.values.length;
  const total = s.values.reduce((sum, v) => sum + v, 0);
  const first = w.days[0];
  const summary = `近 ${w.days.length} 天${s.label}（${first} 至 ${w.today}，北京时间）：合计 ${formatValue(s, total)}，今日 ${formatValue(s, s.values[s.values.length - 1])}`;
  const titleId = `chart-${s.key}-title`;
  return (
    <section class="chart card" data-series={s.key}>
      <h2>
        {s.label}
        <span class="muted"> · 近 {w.days.length} 天合计 </span>
        {s.href ? <a href={s.href(first, w.today)} data-testid={`total-${s.key}`}>{formatValue(s, total)}</a> : <b data-testid={`total-${s.key}`}>{formatValue(s, total)}</b>}
      </h2>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={titleId} aria-label={summary} data-testid={`chart-${s.key}`}>
        <title id={titleId}>{summary}</title>
        <text x="2" y="16" class="axis">{formatValue(s, high)}</text>
        {low < 0 ? <text x="2" y={H - 22} class="axis">{formatValue(s, low)}</text> : null}
        <line x1="0" x2={W} y1={zero} y2={zero} class="zero" />
        {s.values.map((v, i) => {
          const top = Math.min(y(v), zero);
          return (
            <rect x={(i * step + step * 0.15).toFixed(1)} y={top.toFixed(1)} width={(step * 0.7).toFixed(1)} height={Math.abs(y(v) - zero).toFixed(1)}
              class={v < 0 ? "bar negative" : "bar"} data-day={w.days[i]} data-value={v}>
              <title>{`${w.days[i]}：${formatValue(s, v)}`}</title>
            </rect>
          );
        })}
        <text x="2" y={H - 4} class="axis">{first.slice(5)}</text>
        <text x={W - 2} y={H - 4} class="axis" text-anchor="end">{w.today.slice(5)}</text>
      </svg>
      <p class="muted note">{s.note}</p>
      <details>
        <summary>查看每日数据</summary>
        <table class="series" data-testid={`table-${s.key}`}>
          <caption class="visually-hidden">{summary}</caption>
          <thead><tr><th scope="col">日期（北京）</th><th scope="col" class="num">{s.label}</th></tr></thead>
          <tbody>
            {s.values.map((v, i) => (
              <tr data-day={w.days[i]}>
                <td class="mono">{w.days[i]}</td>
                <td class="num">{s.href ? <a href={s.href(w.days[i], w.days[i])}>{formatValue(s, v)}</a> : formatValue(s, v)}</td>
              </tr>
            )).reverse()}
          </tbody>
        </table>
      </details>
    </section>
  );
}

/** The dashboard's own styles (inline <style> is what the console's CSP allows). */
export const CHART_CSS = `
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,440px),1fr));gap:12px;margin-bottom:16px}
.chart{min-width:0}.chart h2{font-size:16px;margin:0 0 8px}
.chart svg{display:block;width:100%;height:auto;max-height:200px}
.chart .bar{fill:#0b63c5}.chart .bar.negative{fill:#c53030}.chart .zero{stroke:#c9ced6;stroke-width:1}
.chart .axis{font-size:16px;fill:#656d76}.chart .note{font-size:12px;margin:6px 0}
.chart table.series{width:100%}
.visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
`;
