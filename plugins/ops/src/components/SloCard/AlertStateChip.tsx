import Chip from '@material-ui/core/Chip';
import { EvaluatedSlo } from '@opsdeck/plugin-ops-common';

const STATES = {
  page: { label: 'Paging', color: '#c62828', outlined: false },
  ticket: { label: 'Ticket', color: '#ef6c00', outlined: false },
  none: { label: 'No alert firing', color: '#2e7d32', outlined: false },
  'no-rules': {
    label: 'No alerting rules loaded',
    color: '#616161',
    outlined: true,
  },
  unknown: { label: 'Alert state unknown', color: '#616161', outlined: true },
} as const;

function stateOf(slo: EvaluatedSlo): {
  state: keyof typeof STATES;
  title: string;
} {
  const alerts = slo.prometheusAlerts;
  if (!alerts) {
    return {
      state: 'unknown',
      title: `Prometheus did not list its alerting rules: ${
        slo.prometheusAlertsError ?? 'no answer'
      }`,
    };
  }
  if (alerts.rules === 0) {
    return {
      state: 'no-rules',
      title:
        'Prometheus has no alerting rule for this SLO, so nothing pages however fast the budget burns. Load the rule file OpsDeck generates (GET /api/ops/slos/rules).',
    };
  }
  return {
    state: alerts.severity,
    title: alerts.firing.length
      ? `Firing in Prometheus: ${alerts.firing
          .map(
            a =>
              `${a.name} (${a.severity}${
                a.activeAt ? `, since ${a.activeAt}` : ''
              })`,
          )
          .join(', ')}`
      : `None of the ${alerts.rules} alerting rules Prometheus has loaded for this SLO fires`,
  };
}

/**
 * The SLO's alert state as Prometheus has it (its loaded rules and their
 * firing alerts), never inferred from burn rates: a card that says "Paging"
 * while no rule exists sends an on-call engineer looking for a page that
 * never came.
 */
export function AlertStateChip(props: { slo: EvaluatedSlo }) {
  const { slo } = props;
  if (slo.error) return null;
  const { state, title } = stateOf(slo);
  const { label, color, outlined } = STATES[state];
  return (
    <Chip
      size="small"
      label={label}
      data-testid="slo-alert-state"
      data-state={state}
      title={title}
      variant={outlined ? 'outlined' : 'default'}
      style={
        outlined
          ? { borderColor: color, color }
          : { backgroundColor: color, color: '#fff' }
      }
    />
  );
}
