import { stringifyEntityRef } from '@backstage/catalog-model';
import { OPSDECK_ANNOTATIONS } from '@opsdeck/plugin-ops-common';
import { ReadinessCheck } from '@opsdeck/plugin-ops-node';
import { OpsStore } from '../../database/OpsStore';

// The manuals drill backups quarterly.
const QUARTER_DAYS = 91;

/**
 * "Database targets with drills": the entity names its database targets and
 * a drill of them passed within the last quarter.
 */
export function createDrillCheck(options: {
  store: OpsStore;
  now?: () => Date;
}): ReadinessCheck {
  const { store, now = () => new Date() } = options;
  return {
    id: 'databases',
    title: 'Database targets with drills',
    documentationAnchor: 'databases',
    async evaluate(entity) {
      const targets =
        entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.databases]?.trim();
      if (!targets) {
        return {
          status: 'missing',
          detail: `Add ${OPSDECK_ANNOTATIONS.databases} naming the service's database targets, so backup-restore drills and failovers can run.`,
        };
      }
      const since = new Date(now().getTime() - QUARTER_DAYS * 86400_000);
      const { items } = await store.listDrills({
        entityRef: stringifyEntityRef(entity),
        status: ['passed'],
        from: since.toISOString(),
        limit: 1,
      });
      if (items.length === 0) {
        return {
          status: 'missing',
          detail: `Database targets: ${targets}; no drill passed in the last quarter. Run the backup-restore drill.`,
        };
      }
      const days = Math.floor(
        (now().getTime() - Date.parse(items[0].startedAt)) / 86400_000,
      );
      return {
        status: 'present',
        detail: `Database targets: ${targets}; last ${
          items[0].kind
        } drill passed ${
          days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`
        }`,
      };
    },
  };
}
