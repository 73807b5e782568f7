import { Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Incident, SeverityLevel } from '@opsdeck/plugin-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';
import { incidentRouteRef } from '../../routes';
import {
  ACTIVE_INCIDENT_STATUSES,
  INCIDENT_STATUS_LABELS,
  SeverityChip,
  Timestamp,
  TruncatedText,
  useSeverities,
} from '../shared';
import { SummaryPart } from './SummaryPart';

// As many as the Incidents card lists: past that the count reads "50+".
const ACTIVE_LIMIT = 50;

/**
 * The incident to look at first: the most severe (severities come most
 * severe first), and among equals the one open longest. A severity that is
 * not configured (any more) ranks last.
 */
export function mostSevere(
  incidents: Incident[],
  severities: SeverityLevel[],
): Incident | undefined {
  const rank = (incident: Incident) => {
    const index = severities.findIndex(s => s.id === incident.severity);
    return index < 0 ? severities.length : index;
  };
  return [...incidents].sort(
    (a, b) => rank(a) - rank(b) || a.detectedAt.localeCompare(b.detectedAt),
  )[0];
}

/** How many incidents of the entity are open, and the worst of them. */
export function IncidentsSummary(props: { entityRef: string }) {
  const { entityRef } = props;
  const opsApi = useApi(opsApiRef);
  const incidentLink = useRouteRef(incidentRouteRef);
  const { severities } = useSeverities();
  const { value, loading, error } = useAsync(
    () =>
      opsApi.listIncidents({
        entityRef,
        status: ACTIVE_INCIDENT_STATUSES,
        limit: ACTIVE_LIMIT,
      }),
    [opsApi, entityRef],
  );
  const open = value?.items ?? [];
  const count = `${open.length}${value?.nextCursor ? '+' : ''}`;
  // Without the severity levels (their request failed), the newest first.
  const worst = severities ? mostSevere(open, severities) : open[0];
  return (
    <SummaryPart label="Open incidents" loading={loading} error={error}>
      {value && open.length === 0 && (
        <Typography variant="body2">No open incidents</Typography>
      )}
      {worst && (
        <>
          <Typography variant="body2">
            {count} open{open.length > 1 ? ', the most severe:' : ':'}
          </Typography>
          <Box display="flex" alignItems="center" gridGap={8} minWidth={0}>
            <SeverityChip severity={worst.severity} severities={severities} />
            <TruncatedText text={worst.title}>
              <Link to={incidentLink({ id: worst.id })}>{worst.title}</Link>
            </TruncatedText>
          </Box>
          <Typography variant="caption" color="textSecondary">
            {INCIDENT_STATUS_LABELS[worst.status]},{' '}
            <Timestamp prefix="opened" iso={worst.detectedAt} />
          </Typography>
        </>
      )}
    </SummaryPart>
  );
}
