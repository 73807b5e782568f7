import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { Postmortem } from '@opsdeck/plugin-ops-common';
import { opsApiRef } from '../../api';
import { useReloadingAsync } from '../../hooks';
import { ActionFeedback, useOpsSignal, useReload } from '../shared';
import { ActionItemsTable } from './ActionItemsTable';
import { AddActionItemForm } from './AddActionItemForm';
import { useMarkDone } from './useMarkDone';

const ACTION_ITEMS_POLL_INTERVAL_MS = 30_000;

/** The action items of one post-mortem, with the form to add one. */
export function ActionItemsSection(props: {
  postmortem: Postmortem;
  deniedReason?: string;
}) {
  const { postmortem, deniedReason } = props;
  const opsApi = useApi(opsApiRef);
  const [reloadKey, reload] = useReload();
  const items = useReloadingAsync(
    () => opsApi.listActionItems({ postmortemId: postmortem.id }),
    [opsApi, postmortem.id],
    reloadKey,
  );
  const done = useMarkDone(reload);
  useOpsSignal({
    entityRef: postmortem.entityRef,
    onChange: signal => {
      if (!signal || signal.kind === 'action-item') {
        reload();
      }
    },
    pollIntervalMs: ACTION_ITEMS_POLL_INTERVAL_MS,
  });

  return (
    <InfoCard title="Action items">
      <ActionFeedback feedback={done.feedback} onClose={done.clearFeedback} />
      {items.error && <ResponseErrorPanel error={items.error} />}
      {!items.value && !items.error && <Progress />}
      {items.value && (
        <ActionItemsTable
          label="Action items"
          emptyText="No action items yet."
          items={items.value.items}
          onMarkDone={done.markDone}
          deniedReason={() => deniedReason}
          busyId={done.busyId}
        />
      )}
      <Box mt={2}>
        <AddActionItemForm
          postmortemId={postmortem.id}
          deniedReason={deniedReason}
          onAdded={reload}
        />
      </Box>
    </InfoCard>
  );
}
