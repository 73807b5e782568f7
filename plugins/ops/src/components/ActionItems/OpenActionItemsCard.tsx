import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { entityRead, useEntityRead } from '../../hooks';
import { ActionFeedback, useOpsSignal, useReload } from '../shared';
import { usePostmortemWriteAccess } from '../PostmortemPage/usePostmortemWriteAccess';
import { ActionItemsTable } from './ActionItemsTable';
import { useMarkDone } from './useMarkDone';

const ACTION_ITEMS_POLL_INTERVAL_MS = 60_000;

/** The card's read: the open action items of the entity's post-mortems. */
export const openActionItemsCardRead = entityRead(
  'open-action-items-card',
  (opsApi, entityRef) => opsApi.listActionItems({ entityRef, status: 'open' }),
);

/**
 * The open action items of the entity's post-mortems, the overdue ones
 * first: what the team promised to change after its incidents.
 */
export function OpenActionItemsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [reloadKey, reload] = useReload();
  const items = useEntityRead(openActionItemsCardRead, entityRef, reloadKey);
  const { deniedReason } = usePostmortemWriteAccess(entityRef);
  const done = useMarkDone(reload);
  useOpsSignal({
    entityRef,
    onChange: signal => {
      if (!signal || signal.kind === 'action-item') {
        reload();
      }
    },
    pollIntervalMs: ACTION_ITEMS_POLL_INTERVAL_MS,
  });

  return (
    <InfoCard title="Open action items">
      <ActionFeedback feedback={done.feedback} onClose={done.clearFeedback} />
      {items.error && <ResponseErrorPanel error={items.error} />}
      {!items.value && !items.error && <Progress />}
      {items.value && (
        <ActionItemsTable
          label="Open action items"
          emptyText="No open action item: every post-mortem’s actions are done."
          items={items.value.items}
          showPostmortem
          onMarkDone={done.markDone}
          deniedReason={() => deniedReason}
          busyId={done.busyId}
        />
      )}
    </InfoCard>
  );
}
