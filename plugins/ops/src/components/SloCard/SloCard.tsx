import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  formatSloDefinitionError,
  OPSDECK_ANNOTATIONS,
  SLO_BURN_RATE_WINDOWS,
  SloReport,
  EvaluatedSlo,
} from '@opsdeck/plugin-ops-common';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { opsApiRef } from '../../api';
import { BudgetSparkline } from './BudgetSparkline';
import {
  alertFactorOf,
  budgetColor,
  describeSloError,
  formatBurnRate,
  formatMinutes,
  formatPercent,
} from './format';

/** How often the card asks again; the backend caches for 15 s. */
const REFRESH_MS = 30_000;

/** The entity's SLO report, refreshed every 30 seconds. */
export function useSloReport() {
  const { entity } = useEntity();
  const opsApi = useApi(opsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const state = useAsyncRetry(
    () => opsApi.getSlos({ entityRef }),
    [opsApi, entityRef],
  );
  const { retry } = state;
  useEffect(() => {
    const timer = setInterval(retry, REFRESH_MS);
    return () => clearInterval(timer);
  }, [retry]);
  return { ...state, entityRef };
}

function burnState(rate: number | undefined, burning: boolean) {
  if (rate === undefined) return 'no-data';
  return burning ? 'burning' : 'ok';
}

const ALERT_LABELS = {
  page: { label: 'Paging', color: '#c62828' },
  ticket: { label: 'Ticket', color: '#ef6c00' },
  none: { label: 'No alert', color: '#2e7d32' },
} as const;

export function AlertStateChip(props: { slo: EvaluatedSlo }) {
  const severity = props.slo.alerts?.severity;
  if (!severity) return null;
  const { label, color } = ALERT_LABELS[severity];
  const firing = props.slo.alerts!.tiers.filter(t => t.firing);
  return (
    <Chip
      size="small"
      label={label}
      data-testid="slo-alert-state"
      data-state={severity}
      title={
        firing.length
          ? `Firing: ${firing
              .map(
                t =>
                  `${t.tier.id} (over ${formatBurnRate(
                    t.tier.burnRateFactor,
                  )} for ${t.tier.longWindow} and ${t.tier.shortWindow})`,
              )
              .join(', ')}`
          : 'No burn-rate alert tier fires'
      }
      style={{ backgroundColor: color, color: '#fff' }}
    />
  );
}

export function BurnRateBadges(props: { slo: EvaluatedSlo }) {
  const { slo } = props;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {SLO_BURN_RATE_WINDOWS.map(window => {
        const rate = slo.burnRates?.[window];
        const factor = alertFactorOf(slo, window);
        const burning =
          rate !== undefined && factor !== undefined && rate > factor;
        return (
          <Chip
            key={window}
            size="small"
            variant={burning ? 'default' : 'outlined'}
            data-testid={`burn-rate-${window}`}
            data-state={burnState(rate, burning)}
            label={`${window} ${
              rate === undefined ? 'no data' : formatBurnRate(rate)
            }`}
            title={
              factor === undefined
                ? `Burn rate over ${window}`
                : `Burn rate over ${window}; alerts above ${formatBurnRate(
                    factor,
                  )}`
            }
            style={burning ? { backgroundColor: '#c62828', color: '#fff' } : {}}
          />
        );
      })}
    </Box>
  );
}

export function SliText(props: {
  slo: EvaluatedSlo;
  decimals: number;
  variant: 'body1' | 'body2';
}) {
  const { slo, decimals, variant } = props;
  return (
    <Typography variant={variant} data-testid="slo-sli">
      SLI{' '}
      <strong>
        {slo.sli === undefined
          ? 'no events in the window'
          : formatPercent(slo.sli, decimals)}
      </strong>
    </Typography>
  );
}

export function BudgetBar(props: { slo: EvaluatedSlo }) {
  const budget = props.slo.errorBudget;
  if (!budget) return null;
  const remaining = budget.remainingRatio;
  const color = budgetColor(remaining);
  return (
    <Box>
      <LinearProgress
        variant="determinate"
        value={Math.max(0, Math.min(100, remaining * 100))}
        aria-label="Remaining error budget"
        style={{ height: 8, borderRadius: 4 }}
        data-testid="slo-budget-bar"
      />
      <Typography variant="caption" style={{ color }} data-testid="slo-budget">
        {remaining >= 0
          ? `${formatPercent(
              remaining,
              1,
            )} of the error budget left (${formatMinutes(
              budget.remainingMinutes,
            )} of ${formatMinutes(budget.totalMinutes)})`
          : `Error budget overspent by ${formatPercent(
              -remaining,
              1,
            )} (${formatMinutes(budget.remainingMinutes)})`}
      </Typography>
    </Box>
  );
}

export function SloBudgetHistory(props: {
  entityRef: string;
  slo: EvaluatedSlo;
  width?: number;
  height?: number;
}) {
  const opsApi = useApi(opsApiRef);
  const { entityRef, slo } = props;
  const { value } = useAsync(
    () => opsApi.getSloHistory({ entityRef, slo: slo.name }),
    [opsApi, entityRef, slo.name, slo.evaluatedAt],
  );
  if (!value || value.error) return null;
  return (
    <BudgetSparkline
      points={value.points}
      width={props.width}
      height={props.height}
    />
  );
}

function SloSummary(props: { slo: EvaluatedSlo; entityRef: string }) {
  const { slo, entityRef } = props;
  return (
    <Box
      mb={2}
      data-testid={`slo-${slo.name}`}
      component="section"
      aria-label={slo.displayName}
    >
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="subtitle1" component="h3">
          {slo.displayName}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          objective {formatPercent(slo.objective)} over {slo.window}
        </Typography>
        <Box flexGrow={1} />
        <AlertStateChip slo={slo} />
      </Box>
      {slo.error ? (
        <Alert severity="error" data-testid="slo-error">
          {describeSloError(slo.error)}
        </Alert>
      ) : (
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 16 }}
        >
          <Box minWidth={220} flexGrow={1}>
            <SliText slo={slo} decimals={3} variant="body2" />
            <BudgetBar slo={slo} />
            <Box mt={1}>
              <BurnRateBadges slo={slo} />
            </Box>
          </Box>
          <SloBudgetHistory entityRef={entityRef} slo={slo} />
        </Box>
      )}
    </Box>
  );
}

/** The parts of a report that are not per SLO: read or parse problems. */
export function SloReportProblems(props: { report: SloReport }) {
  const { report } = props;
  return (
    <>
      {report.error && (
        <Alert severity="error" data-testid="slo-report-error">
          {report.error}
        </Alert>
      )}
      {report.definitionErrors.length > 0 && (
        <Alert severity="warning" data-testid="slo-definition-errors">
          {report.definitionErrors.map((e, i) => (
            <div key={i}>{formatSloDefinitionError(e)}</div>
          ))}
        </Alert>
      )}
    </>
  );
}

/**
 * The SLOs of the entity in context, evaluated on Prometheus: per SLO the
 * objective, SLI, remaining error budget, burn rates and alert state, with
 * the budget over the window.
 *
 * @public
 */
export function SloCard() {
  const { value, loading, error, entityRef } = useSloReport();
  return (
    <InfoCard
      title="SLOs"
      subheader={
        value?.prometheus
          ? `Evaluated on Prometheus '${value.prometheus}'`
          : undefined
      }
    >
      {loading && !value && <Progress />}
      {error && !value && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <SloReportProblems report={value} />
          {value.slos.length === 0 &&
            !value.error &&
            value.definitionErrors.length === 0 && (
              <Typography variant="body2">
                No SLOs defined. Point the{' '}
                <code>{OPSDECK_ANNOTATIONS.openslo}</code> annotation at OpenSLO
                documents.{' '}
                <Link to="/ops/annotations#openslo">How to add it</Link>
              </Typography>
            )}
          {value.slos.map(slo => (
            <SloSummary key={slo.name} slo={slo} entityRef={entityRef} />
          ))}
        </>
      )}
    </InfoCard>
  );
}
