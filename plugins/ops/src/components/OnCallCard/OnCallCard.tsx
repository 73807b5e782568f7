import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import Box from '@material-ui/core/Box';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  OnCallLevelStatus,
  opsOnCallWritePermission,
} from '@opsdeck/plugin-ops-common';
import { useState } from 'react';
import { useEntityOnCall } from '../../hooks';
import {
  ActionFeedback,
  Feedback,
  GuardedButton,
  formatRelative,
  formatTimestamp,
  useReload,
} from '../shared';
import { LEVEL_LABELS, PROVIDER_LABELS } from './levels';
import { OverrideDialog } from './OverrideDialog';
import { OverridesList } from './OverridesList';

type Shift = NonNullable<OnCallLevelStatus['current']>;

function Person(props: { shift: Shift }) {
  const { shift } = props;
  const { contact } = shift;
  const name = shift.userRef.startsWith('user:') ? (
    <EntityRefLink entityRef={shift.userRef} title={contact?.displayName} />
  ) : (
    <span>{contact?.displayName ?? shift.userRef}</span>
  );
  return (
    <>
      {name}
      {shift.overrideId && (
        <Typography variant="caption" color="textSecondary">
          {' '}
          (override)
        </Typography>
      )}
      <br />
      <Typography variant="caption">
        {contact?.email && <Link to={`mailto:${contact.email}`}>email</Link>}
        {contact?.email && contact?.chatUrl && ' · '}
        {contact?.chatUrl && <Link to={contact.chatUrl}>chat</Link>}
        {contact?.phone && (
          <>
            {' · '}
            <Link to={`tel:${contact.phone}`}>{contact.phone}</Link>
          </>
        )}
      </Typography>
    </>
  );
}

/** "for 2 days" to the end of the shift, with the exact time on hover. */
function TimeLeft(props: { end?: string }) {
  if (!props.end) {
    return <span>no handoff scheduled</span>;
  }
  return (
    <span title={formatTimestamp(props.end)}>
      until {formatRelative(props.end)}
    </span>
  );
}

/**
 * Who is on call for the entity now and who is next, per escalation level,
 * with the time left in the shift and contact links; a shift swap for the
 * built-in schedules.
 *
 * @public
 */
export function OnCallCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [reloadKey, reload] = useReload();
  const [overriding, setOverriding] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>();
  const { allowed, loading: checking } = usePermission({
    permission: opsOnCallWritePermission,
    resourceRef: entityRef,
  });
  // Shared with the Overview tab's summary; an override reloads it.
  const { value, loading, error } = useEntityOnCall(entityRef, { reloadKey });

  let content;
  if (loading && !value) {
    content = <Progress />;
  } else if (error && !value) {
    content = <ResponseErrorPanel error={error} />;
  } else if (value && value.state === 'unavailable') {
    // One line: the provider's messages give the reason only.
    content = (
      <Alert severity="warning" data-testid="oncall-unavailable">
        <strong>
          {PROVIDER_LABELS[value.provider] ?? value.provider} unavailable
        </strong>
        {value.messages.length > 0 && `: ${value.messages.join('; ')}`}
      </Alert>
    );
  } else if (value && value.levels.length === 0) {
    content = (
      <Typography variant="body2">
        {value.messages.join(' ') || 'Nobody is on call.'}{' '}
        <Link to="/ops/annotations#oncall-schedule">How to add a schedule</Link>
      </Typography>
    );
  } else if (value) {
    content = (
      <>
        {/* What needs attention: a provider outage this schedule stands in
            for, someone who left the team. */}
        {value.messages.map(message => (
          <Alert key={message} severity="warning">
            {message}
          </Alert>
        ))}
        <Table size="small" aria-label="On call">
          <TableHead>
            <TableRow>
              <TableCell>Level</TableCell>
              <TableCell>Now</TableCell>
              <TableCell>Next</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.levels.map(level => (
              <TableRow key={level.level} data-testid={`oncall-${level.level}`}>
                <TableCell>
                  {LEVEL_LABELS[level.level] ?? level.level}
                </TableCell>
                <TableCell>
                  {level.current ? (
                    <>
                      <Person shift={level.current} />
                      <br />
                      <Typography variant="caption" color="textSecondary">
                        <TimeLeft end={level.current.end} />
                      </Typography>
                    </>
                  ) : (
                    'Nobody'
                  )}
                </TableCell>
                <TableCell>
                  {level.next ? (
                    <>
                      <Person shift={level.next} />
                      <br />
                      <Typography variant="caption" color="textSecondary">
                        from {formatTimestamp(level.next.start)}
                      </Typography>
                    </>
                  ) : (
                    '–'
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </>
    );
  }

  const canOverride = value?.provider === 'schedule' && value.state === 'ok';
  let deniedReason: string | undefined;
  if (checking) deniedReason = 'Checking your permissions…';
  else if (!allowed)
    deniedReason = 'Only the owners of this service can change who is on call';

  return (
    <InfoCard
      title="On call"
      subheader={
        value?.schedule &&
        `${PROVIDER_LABELS[value.provider] ?? value.provider}: ${
          value.schedule
        }`
      }
      deepLink={
        value?.url ? { title: 'Open in provider', link: value.url } : undefined
      }
    >
      <ActionFeedback
        feedback={feedback}
        onClose={() => setFeedback(undefined)}
      />
      {/* A read again that failed (after an override, say): its error
          above who was on call when last read, which an on-call engineer
          still needs. */}
      {error && value && (
        <Box mb={2}>
          <ResponseErrorPanel error={error} />
        </Box>
      )}
      {content}
      {canOverride && (
        <OverridesList
          entityRef={entityRef}
          reloadKey={reloadKey}
          onDelete={
            deniedReason
              ? undefined
              : override => {
                  setFeedback({
                    severity: 'success',
                    message: `Deleted the override of ${override.userRef}`,
                  });
                  reload();
                }
          }
          onError={message => setFeedback({ severity: 'error', message })}
        />
      )}
      {canOverride && (
        <GuardedButton
          deniedReason={deniedReason}
          color="primary"
          onClick={() => setOverriding(true)}
          style={{ marginTop: 8 }}
        >
          Override (shift swap)
        </GuardedButton>
      )}
      {canOverride && overriding && (
        <OverrideDialog
          open
          entityRef={entityRef}
          levels={value!.levels.map(l => l.level)}
          onClose={() => setOverriding(false)}
          onAdded={override => {
            setOverriding(false);
            setFeedback({
              severity: 'success',
              message: `${override.userRef} is on call (${
                LEVEL_LABELS[override.level] ?? override.level
              }) from ${formatTimestamp(override.start)} to ${formatTimestamp(
                override.end,
              )}`,
            });
            reload();
          }}
        />
      )}
    </InfoCard>
  );
}
