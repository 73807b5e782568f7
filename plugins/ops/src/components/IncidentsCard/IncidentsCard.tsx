import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Incident, SeverityLevel } from '@opsdeck/plugin-ops-common';
import { useState } from 'react';
import { entityRead, useEntityRead } from '../../hooks';
import { incidentRouteRef } from '../../routes';
import {
  AddNoteDialog,
  DeclareIncidentDialog,
  IncidentStatusSelect,
  useIncidentStatusChange,
  useIncidentWriteAccess,
} from '../IncidentActions';
import {
  ACTIVE_INCIDENT_STATUSES,
  ActionFeedback,
  Actor,
  Feedback,
  GuardedButton,
  SeverityChip,
  Timestamp,
  useOpsSignal,
  useReload,
  useSeverities,
} from '../shared';

const ACTIVE_LIMIT = 50;
/** How often the card reads the incidents again in an app without signals. */
const INCIDENTS_POLL_INTERVAL_MS = 10_000;
const RECENTLY_RESOLVED_LIMIT = 5;

/** The card's read: the active incidents and the last ones resolved. */
export const incidentsCardRead = entityRead(
  'incidents-card',
  async (opsApi, entityRef) => {
    const [active, resolved] = await Promise.all([
      opsApi.listIncidents({
        entityRef,
        status: ACTIVE_INCIDENT_STATUSES,
        limit: ACTIVE_LIMIT,
      }),
      opsApi.listIncidents({
        entityRef,
        status: ['resolved'],
        limit: RECENTLY_RESOLVED_LIMIT,
      }),
    ]);
    return {
      active: active.items,
      moreActive: Boolean(active.nextCursor),
      resolved: resolved.items,
    };
  },
);
const COLUMNS = 5;

const useStyles = makeStyles(theme => ({
  // The card shares its row with the on-call card: narrower gutters keep
  // the row's actions on screen instead of behind a sideways scroll.
  table: {
    '& th, & td': {
      paddingLeft: theme.spacing(1),
      paddingRight: theme.spacing(1),
    },
  },
}));

function IncidentRow(props: {
  incident: Incident;
  severities?: SeverityLevel[];
  deniedReason?: string;
  onStatusChange: (
    incident: Incident,
    status: Incident['status'],
  ) => Promise<boolean>;
  onAddNote: (incident: Incident) => void;
}) {
  const { incident, severities, deniedReason, onStatusChange, onAddNote } =
    props;
  const incidentLink = useRouteRef(incidentRouteRef);
  const resolved = incident.status === 'resolved';
  return (
    <TableRow>
      <TableCell>
        <SeverityChip severity={incident.severity} severities={severities} />
      </TableCell>
      <TableCell>
        <Link to={incidentLink({ id: incident.id })}>{incident.title}</Link>
        {/* Under the title, not a column of its own: the status select
            needs the width to show its label whole. */}
        <Typography variant="body2" color="textSecondary">
          {resolved ? (
            <Timestamp
              prefix="resolved"
              iso={incident.resolvedAt ?? incident.updatedAt}
            />
          ) : (
            <Timestamp prefix="opened" iso={incident.detectedAt} />
          )}
        </Typography>
      </TableCell>
      <TableCell>
        <IncidentStatusSelect
          incident={incident}
          deniedReason={deniedReason}
          onChange={status => onStatusChange(incident, status)}
        />
      </TableCell>
      <TableCell>
        {incident.commander ? (
          <Actor actor={incident.commander} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            no commander
          </Typography>
        )}
      </TableCell>
      <TableCell align="right">
        <GuardedButton
          size="small"
          deniedReason={deniedReason}
          onClick={() => onAddNote(incident)}
        >
          Add note
        </GuardedButton>
      </TableCell>
    </TableRow>
  );
}

/**
 * The incidents of the entity in context: those not resolved yet first, then
 * the most recently resolved, with the actions to declare one, move one on
 * and note what happens.
 *
 * @public
 */
export function IncidentsCard() {
  const classes = useStyles();
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { severities, error: severitiesError } = useSeverities();
  const { deniedReason } = useIncidentWriteAccess(entityRef);
  const [reloadKey, reload] = useReload();
  const [declaring, setDeclaring] = useState(false);
  const [noteFor, setNoteFor] = useState<Incident>();
  const [feedback, setFeedback] = useState<Feedback>();
  const statusChange = useIncidentStatusChange({ onChanged: reload });
  // Incidents declared or changed elsewhere (another tab, Alertmanager).
  useOpsSignal({
    entityRef,
    onChange: signal => {
      if (!signal || signal.kind === 'incident') reload();
    },
    pollIntervalMs: INCIDENTS_POLL_INTERVAL_MS,
  });

  const { value, error } = useEntityRead(
    incidentsCardRead,
    entityRef,
    reloadKey,
  );

  const rowProps = {
    severities,
    deniedReason,
    onStatusChange: (incident: Incident, status: Incident['status']) => {
      setFeedback(undefined);
      return statusChange.changeStatus(incident, status);
    },
    onAddNote: setNoteFor,
  };

  return (
    <InfoCard
      title="Incidents"
      subheader={
        value &&
        (value.active.length === 0
          ? 'No open incidents'
          : `${value.active.length}${value.moreActive ? '+' : ''} open`)
      }
      action={
        <GuardedButton
          variant="contained"
          color="primary"
          deniedReason={deniedReason}
          onClick={() => setDeclaring(true)}
        >
          Declare incident
        </GuardedButton>
      }
    >
      <ActionFeedback
        feedback={statusChange.feedback ?? feedback}
        onClose={() => {
          statusChange.clearFeedback();
          setFeedback(undefined);
        }}
      />
      {error && <ResponseErrorPanel error={error} />}
      {!value && !error && <Progress />}
      {value && (
        <Table
          size="small"
          className={classes.table}
          aria-label={`Incidents of ${entity.metadata.name}`}
        >
          <TableHead>
            <TableRow>
              <TableCell>Severity</TableCell>
              <TableCell>Incident</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Commander</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {value.active.length === 0 && (
              <TableRow>
                <TableCell colSpan={COLUMNS}>
                  <Typography variant="body2" color="textSecondary">
                    Nothing is on fire: no incident is open.
                  </Typography>
                </TableCell>
              </TableRow>
            )}
            {value.active.map(incident => (
              <IncidentRow
                key={incident.id}
                incident={incident}
                {...rowProps}
              />
            ))}
            {value.resolved.length > 0 && (
              <TableRow>
                <TableCell colSpan={COLUMNS}>
                  <Typography variant="overline" color="textSecondary">
                    Recently resolved
                  </Typography>
                </TableCell>
              </TableRow>
            )}
            {value.resolved.map(incident => (
              <IncidentRow
                key={incident.id}
                incident={incident}
                {...rowProps}
              />
            ))}
          </TableBody>
        </Table>
      )}
      <DeclareIncidentDialog
        open={declaring}
        entityRef={entityRef}
        severities={severities}
        severitiesError={severitiesError}
        onClose={() => setDeclaring(false)}
        onDeclared={incident => {
          setDeclaring(false);
          statusChange.clearFeedback();
          setFeedback({
            severity: 'success',
            message: `Declared ${incident.severity}: “${incident.title}”`,
          });
          reload();
        }}
      />
      <AddNoteDialog
        incident={noteFor}
        onClose={() => setNoteFor(undefined)}
        onAdded={() => {
          statusChange.clearFeedback();
          setFeedback({
            severity: 'success',
            message: `Added a note to “${noteFor?.title}”`,
          });
          setNoteFor(undefined);
        }}
      />
    </InfoCard>
  );
}
