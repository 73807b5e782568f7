import { useApi } from '@backstage/core-plugin-api';
import { ActionItem } from '@opsdeck/plugin-ops-common';
import { useCallback, useState } from 'react';
import { opsApiRef } from '../../api';
import { errorMessage, Feedback, isConflict } from '../shared';

/** Closes an action item from the version the user saw, and says how it went. */
export function useMarkDone(onChanged: () => void) {
  const opsApi = useApi(opsApiRef);
  const [busyId, setBusyId] = useState<string>();
  const [feedback, setFeedback] = useState<Feedback>();

  const markDone = useCallback(
    async (item: ActionItem) => {
      setBusyId(item.id);
      setFeedback(undefined);
      try {
        await opsApi.updateActionItem(item.id, {
          version: item.version,
          status: 'done',
        });
        setFeedback({ severity: 'success', message: `Done: “${item.title}”` });
      } catch (error) {
        setFeedback({
          severity: isConflict(error) ? 'warning' : 'error',
          message: isConflict(error)
            ? `“${item.title}” was changed by someone else since you opened it: it has been reloaded`
            : `Could not mark “${item.title}” done: ${errorMessage(error)}`,
        });
      } finally {
        setBusyId(undefined);
        onChanged();
      }
    },
    [opsApi, onChanged],
  );

  return {
    busyId,
    feedback,
    markDone,
    clearFeedback: () => setFeedback(undefined),
  };
}
