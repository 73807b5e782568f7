import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  EvaluatedSlo,
  SLO_BURN_RATE_WINDOWS,
} from '@opsdeck/plugin-ops-common';
import { alertFactorOf, formatBurnRate, formatSpan } from './format';

const BURNING = '#c62828';

function burnState(rate: number | undefined, burning: boolean) {
  if (rate === undefined) return 'no-data';
  return burning ? 'burning' : 'ok';
}

/**
 * The burn rate per window. A chip is red when its rate is over the lowest
 * alert threshold its window takes part in, so the same rate can be red in
 * one window and not in the next: {@link BurnRateLegend} says why. A window
 * longer than the data is dashed: its rate is over the data only.
 */
export function BurnRateBadges(props: { slo: EvaluatedSlo }) {
  const { slo } = props;
  const partial = new Set(slo.coverage?.partialWindows ?? []);
  const covered =
    slo.coverage === undefined
      ? undefined
      : formatSpan(slo.coverage.coveredSeconds);
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {SLO_BURN_RATE_WINDOWS.map(window => {
        const rate = slo.burnRates?.[window];
        const factor = alertFactorOf(slo, window);
        const burning =
          rate !== undefined && factor !== undefined && rate > factor;
        const isPartial = rate !== undefined && partial.has(window);
        const title = [
          `Burn rate over ${window}`,
          isPartial ? `measured over the ${covered} of data only` : undefined,
          factor === undefined
            ? undefined
            : `red above ${formatBurnRate(factor)}`,
        ]
          .filter(Boolean)
          .join('; ');
        return (
          <Chip
            key={window}
            size="small"
            variant={burning ? 'default' : 'outlined'}
            data-testid={`burn-rate-${window}`}
            data-state={burnState(rate, burning)}
            data-partial={isPartial ? 'true' : undefined}
            label={`${window} ${
              rate === undefined ? 'no data' : formatBurnRate(rate)
            }${isPartial ? '*' : ''}`}
            title={title}
            aria-label={title}
            style={{
              ...(burning ? { backgroundColor: BURNING, color: '#fff' } : {}),
              ...(isPartial
                ? { borderStyle: 'dashed', fontStyle: 'italic' }
                : {}),
            }}
          />
        );
      })}
    </Box>
  );
}

/**
 * What the chip colours mean: the manual's alert tiers, each a threshold
 * over a long and a short window; a chip is red above the lowest threshold
 * its window takes part in. An alert needs both windows of one tier, and
 * then only if Prometheus has the rule loaded.
 */
export function BurnRateLegend(props: { slo: EvaluatedSlo }) {
  const { slo } = props;
  const tiers = slo.alerts?.tiers ?? [];
  if (tiers.length === 0) return null;
  const partial = (slo.coverage?.partialWindows.length ?? 0) > 0;
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="div"
      data-testid="burn-rate-legend"
      style={{ marginTop: 4 }}
    >
      <span
        aria-hidden
        style={{
          display: 'inline-block',
          width: 10,
          height: 10,
          borderRadius: 5,
          backgroundColor: BURNING,
          marginRight: 4,
          verticalAlign: 'middle',
        }}
      />
      Red: the window burns faster than the lowest alert tier it belongs to (
      {tiers
        .map(
          ({ tier }) =>
            `${tier.severity} over ${formatBurnRate(tier.burnRateFactor)} in ${
              tier.longWindow
            } and ${tier.shortWindow}`,
        )
        .join('; ')}
      ). A tier alerts when both of its windows are over its rate.
      {partial &&
        ` * Window longer than the ${formatSpan(
          slo.coverage!.coveredSeconds,
        )} of data: the rate is over the data only.`}
    </Typography>
  );
}
