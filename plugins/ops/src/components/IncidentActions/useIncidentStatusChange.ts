import { useApi } from '@backstage/core-plugin-api';
import {
  Incident,
  IncidentStatus,
  UpdateIncidentRequest,
} from '@opsdeck/plugin-ops-common';
import { useCallback, useState } from 'react';
import { opsApiRef } from '../../api';
import {
  errorMessage,
  Feedback,
  INCIDENT_STATUS_LABELS,
  isConflict,
} from '../shared';

/**
 * Changes an incident's status, or marks its response started, from the
 * version the user saw, then reloads.
 * A change based on a stale version is refused by the backend: the user is
 * told, and sees the reloaded incident rather than their change.
 */
export function useIncidentStatusChange(options: { onChanged: () => void }) {
  const { onChanged } = options;
  const opsApi = useApi(opsApiRef);
  const [feedback, setFeedback] = useState<Feedback>();

  // One change from the version the user saw, told in the user's words.
  const update = useCallback(
    async (
      incident: Incident,
      changes: Omit<UpdateIncidentRequest, 'version'>,
      words: { notDone: string; couldNot: string },
    ): Promise<boolean> => {
      setFeedback(undefined);
      try {
        await opsApi.updateIncident(incident.id, {
          version: incident.version,
          ...changes,
        });
        return true;
      } catch (error) {
        setFeedback(
          isConflict(error)
            ? {
                severity: 'warning',
                message: `“${incident.title}” was changed by someone else, so ${words.notDone}. It has been reloaded: check it and try again.`,
              }
            : {
                severity: 'error',
                message: `${words.couldNot}: ${errorMessage(error)}`,
              },
        );
        return false;
      } finally {
        onChanged();
      }
    },
    [opsApi, onChanged],
  );

  const changeStatus = useCallback(
    (incident: Incident, status: IncidentStatus) => {
      const label = INCIDENT_STATUS_LABELS[status];
      return update(
        incident,
        { status },
        {
          notDone: `it was not set to ${label}`,
          couldNot: `Could not set “${incident.title}” to ${label}`,
        },
      );
    },
    [update],
  );

  // The severity's response target is met or missed by this moment.
  const startResponse = useCallback(
    (incident: Incident) =>
      update(
        incident,
        { startedAt: new Date().toISOString() },
        {
          notDone: 'the start of the response was not recorded',
          couldNot: `Could not record the start of the response to “${incident.title}”`,
        },
      ),
    [update],
  );

  return {
    changeStatus,
    startResponse,
    feedback,
    clearFeedback: useCallback(() => setFeedback(undefined), []),
  };
}
