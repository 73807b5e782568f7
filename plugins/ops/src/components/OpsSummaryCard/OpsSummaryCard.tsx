import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DrillSummary } from './DrillSummary';
import { IncidentsSummary } from './IncidentsSummary';
import { OnCallSummary } from './OnCallSummary';
import { SloSummary } from './SloSummary';
import { usePrefetchOperationsTab } from './usePrefetchOperationsTab';

/**
 * The operations of the entity at a glance, for its Overview tab: who is on
 * call now, the open incidents and the most severe of them, how its SLOs
 * stand and its last recovery drill. Each part reads its own source and
 * says on its own when that source is unavailable. What it reads, the
 * Operations tab's cards reuse (hooks/opsReads), and the tab's code is loaded
 * once this tab is idle, so that opening the tab from here is quick.
 *
 * @public
 */
export function OpsSummaryCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  usePrefetchOperationsTab();
  return (
    <InfoCard title="Operations" variant="gridItem">
      <OnCallSummary entityRef={entityRef} />
      <IncidentsSummary entityRef={entityRef} />
      <SloSummary entityRef={entityRef} />
      <DrillSummary entityRef={entityRef} />
    </InfoCard>
  );
}
