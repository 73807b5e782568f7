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
import { Incident, IncidentEvent } from '@opsdeck/plugin-ops-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';
import { incidentRouteRef } from '../../routes';
import {
  AddNoteDialog,
  IncidentStatusSelect,
  useIncidentStatusChange,
  useIncidentWriteAccess,
} from '../IncidentActions';
import {
  ActionFeedback,
  GuardedButton,
  INCIDENT_STATUS_LABELS,
  useReload,
  useSeverities,
} from '../shared';
import { IncidentDetails } from './IncidentDetails';
import { IncidentTimeline } from './IncidentTimeline';

function IncidentView(props: {
  incident: Incident;
  events?: IncidentEvent[];
  eventsError?: Error;
  onChanged: () => void;
}) {
  const { incident, events, eventsError, onChanged } = props;
  const { severities } = useSeverities();
  const { deniedReason } = useIncidentWriteAccess(incident.entityRef);
  const statusChange = useIncidentStatusChange({ onChanged });
  const [addingNote, setAddingNote] = useState(false);

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
          {events && <IncidentTimeline events={events} />}
        </InfoCard>
      </Grid>
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
  const { id } = useRouteRefParams(incidentRouteRef);
  const opsApi = useApi(opsApiRef);
  const [reloadKey, reload] = useReload();
  const incident = useAsync(
    () => opsApi.getIncident(id),
    [opsApi, id, reloadKey],
  );
  const events = useAsync(
    async () => (await opsApi.listIncidentEvents(id)).items,
    [opsApi, id, reloadKey],
  );

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
        {incident.error && <ResponseErrorPanel error={incident.error} />}
        {!incident.value && !incident.error && <Progress />}
        {incident.value && (
          <IncidentView
            incident={incident.value}
            events={events.value}
            eventsError={events.error}
            onChanged={reload}
          />
        )}
      </Content>
    </Page>
  );
}
