import { SloBudgetPoint } from '@opsdeck/plugin-ops-common';
import { budgetColor } from './format';

/**
 * The remaining error budget over the SLO window as a small SVG line: 100 %
 * at the top, 0 at the dashed line, below it when overspent.
 */
export function BudgetSparkline(props: {
  points: SloBudgetPoint[];
  width?: number;
  height?: number;
}) {
  const { points, width = 240, height = 48 } = props;
  if (points.length < 2) {
    return null;
  }
  const values = points.map(p => p.remainingRatio);
  const top = Math.max(1, ...values);
  const bottom = Math.min(0, ...values);
  const span = top - bottom || 1;
  const x = (i: number) => (i / (points.length - 1)) * width;
  const y = (v: number) => ((top - v) / span) * (height - 4) + 2;
  const path = values
    .map(
      (v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`,
    )
    .join(' ');
  const last = values[values.length - 1];
  const first = points[0].time;
  const end = points[points.length - 1].time;
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Remaining error budget from ${first} to ${end}: now ${Math.round(
        last * 100,
      )} %`}
      data-testid="slo-budget-chart"
    >
      <line
        x1={0}
        x2={width}
        y1={y(0)}
        y2={y(0)}
        stroke="#9e9e9e"
        strokeDasharray="3 3"
      />
      <path d={path} fill="none" stroke={budgetColor(last)} strokeWidth={2} />
    </svg>
  );
}
