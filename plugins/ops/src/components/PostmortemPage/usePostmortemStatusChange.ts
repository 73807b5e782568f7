import { useApi } from '@backstage/core-plugin-api';
import { Postmortem, PostmortemStatus } from '@opsdeck/plugin-ops-common';
import { useCallback, useState } from 'react';
import { opsApiRef } from '../../api';
import { errorMessage, Feedback, isConflict } from '../shared';
import { POSTMORTEM_TRANSITION_ACTIONS } from './labels';

/**
 * Moves a post-mortem to review, back to draft or to publication from the
 * version the user saw, and says how it went.
 */
export function usePostmortemStatusChange(options: { onChanged: () => void }) {
  const { onChanged } = options;
  const opsApi = useApi(opsApiRef);
  const [feedback, setFeedback] = useState<Feedback>();
  const [busy, setBusy] = useState(false);

  const changeStatus = useCallback(
    async (postmortem: Postmortem, status: PostmortemStatus) => {
      setBusy(true);
      setFeedback(undefined);
      try {
        await opsApi.changePostmortemStatus(postmortem.id, {
          status,
          version: postmortem.version,
        });
        setFeedback({
          severity: 'success',
          message: POSTMORTEM_TRANSITION_ACTIONS[status].done,
        });
      } catch (error) {
        setFeedback(
          isConflict(error)
            ? {
                severity: 'warning',
                message:
                  'This post-mortem was changed by someone else since you opened it: it has been reloaded, look again before you decide.',
              }
            : {
                severity: 'error',
                message: `Could not change the status: ${errorMessage(error)}`,
              },
        );
      } finally {
        setBusy(false);
        onChanged();
      }
    },
    [opsApi, onChanged],
  );

  return {
    feedback,
    busy,
    changeStatus,
    clearFeedback: () => setFeedback(undefined),
  };
}
