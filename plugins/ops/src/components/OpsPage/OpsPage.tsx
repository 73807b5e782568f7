import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Incident,
  IncidentStatus,
  INCIDENT_STATUSES,
} from '@opsdeck/plugin-ops-common';
import { useEffect, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { opsApiRef } from '../../api';
import { incidentRouteRef } from '../../routes';
import {
  ACTIVE_INCIDENT_STATUSES,
  Actor,
  errorMessage,
  INCIDENT_STATUS_LABELS,
  SeverityChip,
  Timestamp,
  severityOptions,
  useSeverities,
  RenderAfterMount,
} from '../shared';
import { FollowUps } from './FollowUps';

const PAGE_SIZE = 50;

// The status filter: not resolved (the default), one status, or any.
const NOT_RESOLVED = 'not-resolved';
const ANY = 'any';

function statusesOf(filter: string): IncidentStatus[] | undefined {
  if (filter === NOT_RESOLVED) {
    return ACTIVE_INCIDENT_STATUSES;
  }
  if (filter === ANY) {
    return undefined;
  }
  return [filter as IncidentStatus];
}

/**
 * OpsDeck's own page: incidents across every service, those not resolved by
 * default, filtered by severity and status. Mounted at `/ops`.
 *
 * @public
 */
export function OpsPage() {
  return (
    <RenderAfterMount>
      <OpsPageContent />
    </RenderAfterMount>
  );
}

function OpsPageContent() {
  const opsApi = useApi(opsApiRef);
  const incidentLink = useRouteRef(incidentRouteRef);
  const { severities } = useSeverities();
  const [severity, setSeverity] = useState(ANY);
  const [statusFilter, setStatusFilter] = useState(NOT_RESOLVED);
  const [more, setMore] = useState<Incident[]>([]);
  const [cursor, setCursor] = useState<string>();

  const filter = useMemo(
    () => ({
      status: statusesOf(statusFilter),
      severity: severity === ANY ? undefined : [severity],
    }),
    [severity, statusFilter],
  );
  // A page that arrives after the filter changed belongs to no list.
  const currentFilter = useRef(filter);
  currentFilter.current = filter;

  const firstPage = useAsync(
    () => opsApi.listIncidents({ ...filter, limit: PAGE_SIZE }),
    [opsApi, filter],
  );
  useEffect(() => {
    setMore([]);
    setCursor(firstPage.value?.nextCursor);
  }, [firstPage.value]);

  const [nextPage, loadMore] = useAsyncFn(async () => {
    const page = await opsApi.listIncidents({
      ...filter,
      cursor,
      limit: PAGE_SIZE,
    });
    if (currentFilter.current === filter) {
      setMore(previous => [...previous, ...page.items]);
      setCursor(page.nextCursor);
    }
  }, [opsApi, filter, cursor]);

  const incidents = firstPage.value ? [...firstPage.value.items, ...more] : [];

  return (
    <Page themeId="tool">
      <Header title="Operations" subtitle="Incidents across every service" />
      <Content>
        <ContentHeader title="Incidents">
          <Box display="flex" style={{ gap: 16 }}>
            <TextField
              select
              size="small"
              variant="outlined"
              id="ops-filter-severity"
              label="Severity"
              value={severity}
              onChange={e => setSeverity(e.target.value)}
              SelectProps={{ native: true }}
            >
              <option value={ANY}>Any severity</option>
              {severityOptions(severities)}
            </TextField>
            <TextField
              select
              size="small"
              variant="outlined"
              id="ops-filter-status"
              label="Status"
              value={statusFilter}
              onChange={e => setStatusFilter(e.target.value)}
              SelectProps={{ native: true }}
            >
              <option value={NOT_RESOLVED}>Not resolved</option>
              {INCIDENT_STATUSES.map(status => (
                <option key={status} value={status}>
                  {INCIDENT_STATUS_LABELS[status]}
                </option>
              ))}
              <option value={ANY}>Any status</option>
            </TextField>
          </Box>
        </ContentHeader>
        {firstPage.error && <ResponseErrorPanel error={firstPage.error} />}
        {firstPage.loading && <Progress />}
        {firstPage.value && (
          <TableContainer component={Paper}>
            <Table aria-label="Incidents">
              <TableHead>
                <TableRow>
                  <TableCell>Severity</TableCell>
                  <TableCell>Title</TableCell>
                  <TableCell>Service</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Age</TableCell>
                  <TableCell>Commander</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {incidents.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={6}>
                      <Typography variant="body2" color="textSecondary">
                        No incident matches.
                      </Typography>
                    </TableCell>
                  </TableRow>
                )}
                {incidents.map(incident => (
                  <TableRow key={incident.id}>
                    <TableCell>
                      <SeverityChip
                        severity={incident.severity}
                        severities={severities}
                      />
                    </TableCell>
                    <TableCell>
                      <Link to={incidentLink({ id: incident.id })}>
                        {incident.title}
                      </Link>
                    </TableCell>
                    <TableCell>
                      <EntityRefLink entityRef={incident.entityRef} />
                    </TableCell>
                    <TableCell>
                      {INCIDENT_STATUS_LABELS[incident.status]}
                    </TableCell>
                    <TableCell>
                      <Timestamp prefix="opened" iso={incident.detectedAt} />
                    </TableCell>
                    <TableCell>
                      {incident.commander ? (
                        <Actor actor={incident.commander} />
                      ) : (
                        '–'
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
        {nextPage.error && (
          <Alert severity="error">
            Could not load more incidents: {errorMessage(nextPage.error)}
          </Alert>
        )}
        {firstPage.value && cursor && (
          <Box mt={2}>
            <Button
              variant="outlined"
              disabled={nextPage.loading}
              onClick={() => loadMore()}
            >
              Load more
            </Button>
          </Box>
        )}
        <Box mt={4}>
          <FollowUps />
        </Box>
      </Content>
    </Page>
  );
}
