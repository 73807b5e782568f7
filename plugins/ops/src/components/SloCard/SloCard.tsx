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
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  formatSloDefinitionError,
  OPSDECK_ANNOTATIONS,
  SloReport,
  EvaluatedSlo,
} from '@opsdeck/plugin-ops-common';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';
import { useEntitySloReport } from '../../hooks';
import { AlertStateChip } from './AlertStateChip';
import { BudgetSparkline } from './BudgetSparkline';
import { BurnRateBadges, BurnRateLegend } from './BurnRates';
import {
  budgetColor,
  describeSloError,
  formatMinutes,
  formatPercent,
  formatSpan,
  isPartial,
} from './format';

/** How often the card asks again; the backend caches for 15 s. */
const REFRESH_MS = 30_000;

/** The entity's SLO report, refreshed every 30 seconds. */
export function useSloReport() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  // Shared with the Overview tab's summary: no second request after an
  // in-app navigation; the timer below still asks the backend again.
  const state = useEntitySloReport(entityRef);
  const { retry } = state;
  useEffect(() => {
    const timer = setInterval(retry, REFRESH_MS);
    return () => clearInterval(timer);
  }, [retry]);
  return { ...state, entityRef };
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

/**
 * How much data the figures rest on, when less than the SLO window: the
 * SLI, budget and burn rates are then over that data only.
 */
export function DataCoverage(props: { slo: EvaluatedSlo }) {
  const { slo } = props;
  if (!slo.coverage || slo.coverage.complete) return null;
  const { coveredSeconds, firstSampleAt } = slo.coverage;
  return (
    <Typography
      variant="body2"
      data-testid="slo-coverage"
      title={
        firstSampleAt
          ? `Prometheus has data for this SLO since ${firstSampleAt}; the ${slo.window} window is not covered yet, so no figure is extrapolated to it.`
          : undefined
      }
      style={{ color: '#ef6c00' }}
    >
      {coveredSeconds > 0
        ? `Based on ${formatSpan(coveredSeconds)} of data (of ${slo.window})`
        : `No data in the ${slo.window} window yet`}
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
        {budgetText(props.slo)}
      </Typography>
    </Box>
  );
}

// Below full coverage the minutes are left out: "35 min left" after ten
// minutes reads as a forecast for the rest of the window, which ten
// minutes of data cannot give.
function budgetText(slo: EvaluatedSlo): string {
  const budget = slo.errorBudget!;
  const remaining = budget.remainingRatio;
  if (isPartial(slo)) {
    if (slo.coverage!.coveredSeconds === 0) {
      return 'No data in the window yet: nothing spent';
    }
    const basis = `in the ${formatSpan(slo.coverage!.coveredSeconds)} of data`;
    return remaining >= 0
      ? `${formatPercent(
          budget.spentRatio,
          1,
        )} of the error budget spent ${basis}`
      : `Error budget overspent by ${formatPercent(-remaining, 1)} ${basis}`;
  }
  return remaining >= 0
    ? `${formatPercent(remaining, 1)} of the error budget left (${formatMinutes(
        budget.remainingMinutes,
      )} of ${formatMinutes(budget.totalMinutes)})`
    : `Error budget overspent by ${formatPercent(
        -remaining,
        1,
      )} (${formatMinutes(budget.remainingMinutes)})`;
}

/**
 * The remaining budget over the window, with a heading when `title` is
 * given. Two points make a line; one point is said in words, and nothing
 * (not even the heading) shows without data.
 */
export function SloBudgetHistory(props: {
  entityRef: string;
  slo: EvaluatedSlo;
  width?: number;
  height?: number;
  title?: boolean;
}) {
  const opsApi = useApi(opsApiRef);
  const { entityRef, slo } = props;
  const { value } = useAsync(
    () => opsApi.getSloHistory({ entityRef, slo: slo.name }),
    [opsApi, entityRef, slo.name, slo.evaluatedAt],
  );
  if (!value || value.error || value.points.length === 0) return null;
  const { points } = value;
  const heading = value.firstSampleAt
    ? `Remaining budget since the first sample (${new Date(
        value.firstSampleAt,
      ).toLocaleString()})`
    : `Remaining budget over the last ${slo.window}`;
  return (
    <Box data-testid="slo-budget-history">
      {props.title && (
        <Typography variant="subtitle2" style={{ marginTop: 8 }}>
          {heading}
        </Typography>
      )}
      {points.length === 1 ? (
        <Typography variant="body2" color="textSecondary">
          One measurement so far: {formatPercent(points[0].remainingRatio, 1)}{' '}
          left at {new Date(points[0].time).toLocaleString()}. The chart starts
          with the second.
        </Typography>
      ) : (
        <BudgetSparkline
          points={points}
          width={props.width}
          height={props.height}
        />
      )}
    </Box>
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
      {slo.description && <SloDescription text={slo.description} />}
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
            <DataCoverage slo={slo} />
            <BudgetBar slo={slo} />
            <Box mt={1}>
              <BurnRateBadges slo={slo} />
              <BurnRateLegend slo={slo} />
            </Box>
          </Box>
          <SloBudgetHistory entityRef={entityRef} slo={slo} />
        </Box>
      )}
    </Box>
  );
}

/**
 * An SLO's description, wrapped (never cut off) and breaking only between
 * words; the full text is also the tooltip.
 */
export function SloDescription(props: { text: string }) {
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      title={props.text}
      data-testid="slo-description"
      style={{ whiteSpace: 'normal', overflowWrap: 'break-word' }}
    >
      {props.text}
    </Typography>
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
