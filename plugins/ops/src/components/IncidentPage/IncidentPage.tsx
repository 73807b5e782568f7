import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRefParams } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import {
  Incident,
  IncidentEvent,
  RecordPage,
} from '@opsdeck/plugin-ops-common';
import { useRef, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { opsApiRef } from '../../api';
import { useReloadingAsync } from '../../hooks';
import { incidentRouteRef } from '../../routes';
import {
  AddNoteDialog,
  EditIncidentDialog,
  IncidentStatusSelect,
  useIncidentStatusChange,
  useIncidentWriteAccess,
} from '../IncidentActions';
import {
  ActionFeedback,
  GuardedButton,
  INCIDENT_STATUS_LABELS,
  useOpsSignal,
  useReload,
  useSeverities,
  RenderAfterMount,
} from '../shared';
import { IncidentDetails } from './IncidentDetails';
import { IncidentTimeline } from './IncidentTimeline';
import { PostmortemAction } from './PostmortemAction';

/** How often the page reads the incident again in an app without signals. */
const INCIDENT_POLL_INTERVAL_MS = 10_000;

/**
 * The timeline as loaded so far: the latest page, then the earlier pages the
 * user asked for, oldest first. Read again from the latest page on
 * `reloadKey`; on `liveKey` (a change made elsewhere) too, except while
 * earlier pages are shown: reading the latest page again would drop them
 * from under the reader's eyes.
 */
function useTimeline(id: string, reloadKey: number, liveKey: number) {
  const opsApi = useApi(opsApiRef);
  const [earlier, setEarlier] = useState<RecordPage<IncidentEvent>>();
  const shownLiveKey = useRef(liveKey);
  if (!earlier) {
    shownLiveKey.current = liveKey;
  }
  const latest = useReloadingAsync(
    async () => {
      setEarlier(undefined);
      return opsApi.listIncidentEvents(id);
    },
    [opsApi, id],
    `${reloadKey}:${shownLiveKey.current}`,
  );
  const nextCursor = earlier ? earlier.nextCursor : latest.value?.nextCursor;
  const [earlierLoad, loadEarlier] = useAsyncFn(async () => {
    if (!nextCursor) {
      return;
    }
    const page = await opsApi.listIncidentEvents(id, { cursor: nextCursor });
    setEarlier(previous => ({
      items: [...page.items, ...(previous?.items ?? [])],
      nextCursor: page.nextCursor,
    }));
  }, [opsApi, id, nextCursor]);
  return {
    events: latest.value && [...(earlier?.items ?? []), ...latest.value.items],
    error: latest.error ?? earlierLoad.error,
    onShowEarlier: nextCursor ? loadEarlier : undefined,
    loadingEarlier: earlierLoad.loading,
  };
}

function IncidentView(props: {
  incident: Incident;
  timeline: ReturnType<typeof useTimeline>;
  onChanged: () => void;
}) {
  const { incident, timeline, onChanged } = props;
  const { events, error: eventsError } = timeline;
  const { severities } = useSeverities();
  const { deniedReason } = useIncidentWriteAccess(incident.entityRef);
  const statusChange = useIncidentStatusChange({ onChanged });
  const [addingNote, setAddingNote] = useState(false);
  // The incident as it was when the dialog opened: a change read meanwhile
  // (live, from elsewhere) must not reset what the user is typing; saving
  // from the older version is refused with a conflict, as it should be.
  const [editing, setEditing] = useState<Incident>();
  const awaitingResponse =
    !incident.startedAt && incident.status !== 'resolved';

  return (
    <Grid container spacing={3}>
      {statusChange.feedback && (
        <Grid item xs={12}>
          <ActionFeedback
            feedback={statusChange.feedback}
            onClose={statusChange.clearFeedback}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          <IncidentStatusSelect
            incident={incident}
            deniedReason={deniedReason}
            onChange={status => statusChange.changeStatus(incident, status)}
          />
          <GuardedButton
            variant="outlined"
            color="primary"
            deniedReason={deniedReason}
            onClick={() => setAddingNote(true)}
          >
            Add note
          </GuardedButton>
          <GuardedButton
            variant="outlined"
            color="primary"
            deniedReason={deniedReason}
            onClick={() => setEditing(incident)}
          >
            Commander, severity, root cause
          </GuardedButton>
          {awaitingResponse && (
            <GuardedButton
              variant="contained"
              color="primary"
              deniedReason={deniedReason}
              onClick={() => statusChange.startResponse(incident)}
            >
              Response started
            </GuardedButton>
          )}
          <PostmortemAction incident={incident} deniedReason={deniedReason} />
        </Box>
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="Details">
          <IncidentDetails
            incident={incident}
            severities={severities}
            events={events}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Timeline">
          {eventsError && <ResponseErrorPanel error={eventsError} />}
          {!events && !eventsError && <Progress />}
          {events && (
            <IncidentTimeline
              events={events}
              onShowEarlier={timeline.onShowEarlier}
              loadingEarlier={timeline.loadingEarlier}
            />
          )}
        </InfoCard>
      </Grid>
      <EditIncidentDialog
        incident={editing}
        severities={severities}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          onChanged();
        }}
      />
      <AddNoteDialog
        incident={addingNote ? incident : undefined}
        onClose={() => setAddingNote(false)}
        onAdded={() => {
          setAddingNote(false);
          onChanged();
        }}
      />
    </Grid>
  );
}

/**
 * One incident: what is known of it, its times against its severity's
 * targets and its timeline, with the actions to move it on and note what
 * happens. Mounted at `/ops/incidents/:id`.
 *
 * @public
 */
export function IncidentPage() {
  return (
    <RenderAfterMount>
      <IncidentPageContent />
    </RenderAfterMount>
  );
}

function IncidentPageContent() {
  const { id } = useRouteRefParams(incidentRouteRef);
  const opsApi = useApi(opsApiRef);
  const [reloadKey, reload] = useReload();
  const [liveKey, liveReload] = useReload();
  const incident = useReloadingAsync(
    () => opsApi.getIncident(id),
    [opsApi, id],
    `${reloadKey}:${liveKey}`,
  );
  const timeline = useTimeline(id, reloadKey, liveKey);
  // Status changes, notes and edits made elsewhere; the entity's channel is
  // known once the incident is.
  useOpsSignal({
    entityRef: incident.value?.entityRef,
    onChange: signal => {
      if (!signal || (signal.kind === 'incident' && signal.id === id)) {
        liveReload();
      }
    },
    pollIntervalMs: INCIDENT_POLL_INTERVAL_MS,
  });

  return (
    <Page themeId="tool">
      <Header
        type="Incident"
        title={incident.value?.title ?? 'Incident'}
        subtitle={
          incident.value &&
          `${incident.value.severity} · ${
            INCIDENT_STATUS_LABELS[incident.value.status]
          }`
        }
      />
      <Content>
        {incident.error && (
          // Above what was read before, when a read again failed.
          <Box mb={3}>
            <ResponseErrorPanel error={incident.error} />
          </Box>
        )}
        {!incident.value && !incident.error && <Progress />}
        {incident.value && (
          <IncidentView
            incident={incident.value}
            timeline={timeline}
            onChanged={reload}
          />
        )}
      </Content>
    </Page>
  );
}
