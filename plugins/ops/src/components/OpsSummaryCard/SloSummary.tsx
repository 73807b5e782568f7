import Typography from '@material-ui/core/Typography';
import { EvaluatedSlo, SloReport } from '@opsdeck/plugin-ops-common';
import { useEntitySloReport } from '../../hooks';
import { TruncatedText } from '../shared';
import { SummaryPart } from './SummaryPart';

/**
 * The SLOs counted as a reader of the SLO card would: met when the SLI over
 * the window is at or above the objective; burning when a burn-rate alert
 * tier is over its factor (the budget goes faster than the objective
 * allows); unevaluated when Prometheus gave no figure.
 */
export function countSlos(slos: EvaluatedSlo[]) {
  const evaluated = slos.filter(slo => !slo.error && slo.sli !== undefined);
  return {
    total: slos.length,
    meeting: evaluated.filter(slo => slo.sli! >= slo.objective).length,
    burning: evaluated.filter(
      slo => slo.alerts && slo.alerts.severity !== 'none',
    ).length,
    unevaluated: slos.length - evaluated.length,
  };
}

function SloCounts(props: { report: SloReport }) {
  const { report } = props;
  if (report.error) {
    return (
      <Typography color="error" variant="body2" component="div">
        <TruncatedText text={`Unavailable: ${report.error}`} />
      </Typography>
    );
  }
  if (report.slos.length === 0) {
    return <Typography variant="body2">No SLOs defined</Typography>;
  }
  const { total, meeting, burning, unevaluated } = countSlos(report.slos);
  return (
    <>
      <Typography variant="body2">
        {meeting} of {total} meet their objective
      </Typography>
      <Typography
        variant="body2"
        color={burning > 0 ? 'error' : 'textSecondary'}
      >
        {burning === 0
          ? 'None burning its error budget fast'
          : `${burning} burning its error budget fast`}
        {unevaluated > 0 && `, ${unevaluated} without figures`}
      </Typography>
    </>
  );
}

/** How the entity's SLOs stand against their objectives. */
export function SloSummary(props: { entityRef: string }) {
  const { entityRef } = props;
  // Shared with the Operations tab's SLO card.
  const { value, loading, error } = useEntitySloReport(entityRef);
  return (
    <SummaryPart label="SLOs" loading={loading} error={error}>
      {value && <SloCounts report={value} />}
    </SummaryPart>
  );
}
