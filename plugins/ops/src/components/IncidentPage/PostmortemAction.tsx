import { Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Alert from '@material-ui/lab/Alert';
import {
  Incident,
  POSTMORTEM_INCIDENT_STATUSES,
} from '@opsdeck/plugin-ops-common';
import { useNavigate } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { opsApiRef } from '../../api';
import { postmortemRouteRef } from '../../routes';
import { errorMessage, GuardedButton } from '../shared';

/**
 * The incident's way to its post-mortem: a link when it has one, else, once
 * the impact has ended (mitigated or resolved), the button that starts it
 * with a draft written from the incident's facts and opens it.
 */
export function PostmortemAction(props: {
  incident: Incident;
  deniedReason?: string;
}) {
  const { incident, deniedReason } = props;
  const opsApi = useApi(opsApiRef);
  const postmortemLink = useRouteRef(postmortemRouteRef);
  const navigate = useNavigate();
  // Read again when the status changes: a post-mortem may be started elsewhere.
  const existing = useAsync(
    () => opsApi.findPostmortemOfIncident(incident.id),
    [opsApi, incident.id, incident.status],
  );
  const [start, onStart] = useAsyncFn(async () => {
    const postmortem = await opsApi.createPostmortem(incident.id);
    navigate(postmortemLink({ id: postmortem.id }));
  }, [opsApi, incident.id, navigate, postmortemLink]);

  if (existing.loading && !existing.value) {
    return null;
  }
  if (existing.value) {
    return (
      <Link to={postmortemLink({ id: existing.value.id })}>Post-mortem</Link>
    );
  }
  const canStart = (POSTMORTEM_INCIDENT_STATUSES as readonly string[]).includes(
    incident.status,
  );
  if (!canStart) {
    return null;
  }
  return (
    <>
      <GuardedButton
        variant="contained"
        color="primary"
        deniedReason={deniedReason}
        disabled={start.loading}
        onClick={() => onStart()}
      >
        Start post-mortem
      </GuardedButton>
      {start.error && (
        <Alert severity="error">
          Could not start the post-mortem: {errorMessage(start.error)}
        </Alert>
      )}
    </>
  );
}
