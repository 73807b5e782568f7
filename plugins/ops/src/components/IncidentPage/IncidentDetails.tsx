import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  Incident,
  IncidentEvent,
  SeverityLevel,
} from '@opsdeck/plugin-ops-common';
import { ReactNode } from 'react';
import {
  Actor,
  formatTimestamp,
  INCIDENT_STATUS_LABELS,
  SeverityChip,
  useInAppLink,
} from '../shared';
import { TimeAgainstTarget } from './TimeAgainstTarget';

function Field(props: { label: string; children: ReactNode }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row" style={{ width: '30%' }}>
        <Typography variant="body2" color="textSecondary">
          {props.label}
        </Typography>
      </TableCell>
      <TableCell>{props.children}</TableCell>
    </TableRow>
  );
}

function Text(props: { text?: string }) {
  return props.text ? (
    <span style={{ whiteSpace: 'pre-wrap' }}>{props.text}</span>
  ) : (
    <span>–</span>
  );
}

function RunbookLink(props: { url: string }) {
  const to = useInAppLink(props.url);
  return (
    <Link to={to} data-testid="incident-runbook">
      {to}
    </Link>
  );
}

// Only web links: the URL is whatever someone typed into the incident.
function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** What is known of an incident, with its times against its severity. */
export function IncidentDetails(props: {
  incident: Incident;
  severities?: SeverityLevel[];
  events?: IncidentEvent[];
}) {
  const { incident, severities, events } = props;
  // Set by the Alertmanager webhook: the runbook of the alert, and who was
  // on call at each level when the incident opened.
  const runbook = incident.labels.runbook;
  const onCall = Object.entries(incident.labels)
    .filter(([key]) => key.startsWith('oncall/'))
    .map(([key, userRef]) => ({
      onCallLevel: key.slice('oncall/'.length),
      userRef,
    }));
  const actions = (events ?? []).filter(event => event.type === 'action');
  const level = severities?.find(each => each.id === incident.severity);
  const ongoing = incident.status !== 'resolved';
  return (
    <Table size="small" aria-label="Incident details">
      <TableBody>
        <Field label="Severity">
          <SeverityChip severity={incident.severity} severities={severities} />{' '}
          {level?.title}
        </Field>
        <Field label="Status">{INCIDENT_STATUS_LABELS[incident.status]}</Field>
        <Field label="Service">
          <EntityRefLink entityRef={incident.entityRef} />
        </Field>
        <Field label="Commander">
          {incident.commander ? <Actor actor={incident.commander} /> : '–'}
        </Field>
        <Field label="Detected">{formatTimestamp(incident.detectedAt)}</Field>
        <Field label="Response started">
          {incident.startedAt && `${formatTimestamp(incident.startedAt)} · `}
          <TimeAgainstTarget
            name="Response"
            detectedAt={incident.detectedAt}
            at={incident.startedAt}
            targetMinutes={level?.respondWithinMinutes}
            ongoing={ongoing}
          />
        </Field>
        <Field label="Mitigated">
          {incident.mitigatedAt &&
            `${formatTimestamp(incident.mitigatedAt)} · `}
          <TimeAgainstTarget
            name="Mitigation"
            detectedAt={incident.detectedAt}
            at={incident.mitigatedAt}
            targetMinutes={level?.resolveWithinMinutes}
            ongoing={ongoing}
          />
        </Field>
        <Field label="Resolved">
          {incident.resolvedAt && `${formatTimestamp(incident.resolvedAt)} · `}
          <TimeAgainstTarget
            name="Resolution"
            detectedAt={incident.detectedAt}
            at={incident.resolvedAt}
            targetMinutes={level?.resolveWithinMinutes}
            ongoing={ongoing}
          />
        </Field>
        {incident.labels.alertname && (
          <Field label="Alert">
            <code>{incident.labels.alertname}</code>
          </Field>
        )}
        {runbook && isWebUrl(runbook) && (
          <Field label="Runbook">
            <RunbookLink url={runbook} />
          </Field>
        )}
        {onCall.length > 0 && (
          <Field label="On call when it opened">
            {onCall.map(({ onCallLevel, userRef }) => (
              <div key={onCallLevel}>
                {onCallLevel}:{' '}
                {userRef.startsWith('user:') ? (
                  <EntityRefLink entityRef={userRef} />
                ) : (
                  userRef
                )}
              </div>
            ))}
          </Field>
        )}
        {actions.length > 0 && (
          <Field label="Actions taken">
            {actions.map(action => (
              <div key={action.id}>
                {formatTimestamp(action.createdAt)}: {action.message}
              </div>
            ))}
          </Field>
        )}
        <Field label="Summary">
          <Text text={incident.summary} />
        </Field>
        <Field label="Root cause">
          <Text text={incident.rootCause} />
        </Field>
        <Field label="Postmortem">
          {incident.postmortemUrl && isWebUrl(incident.postmortemUrl) ? (
            <Link to={incident.postmortemUrl}>{incident.postmortemUrl}</Link>
          ) : (
            <Text text={incident.postmortemUrl} />
          )}
        </Field>
      </TableBody>
    </Table>
  );
}
