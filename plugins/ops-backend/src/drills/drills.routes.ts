import {
  CreateDrillRequest,
  DRILL_KINDS,
  DRILL_STATUSES,
  UpsertDrillStepRequest,
} from '@opsdeck/plugin-ops-common';
import {
  Audited,
  auditedHandler,
  createEvent,
  readEvent,
  updateEvent,
} from '../http/audit';
import type { OpsRouter } from '../http/createRouter';
import { Credentials } from '../http/credentials';
import { pageFilter, queryEnumList } from '../http/query';
import { DrillsService } from './DrillsService';

/** The drill endpoints: HTTP mapping only; the spec validated the request. */
export function bindDrillRoutes(
  router: OpsRouter,
  deps: { drills: DrillsService; audited: Audited; credentials: Credentials },
) {
  const { drills } = deps;

  router.get(
    '/drills',
    auditedHandler(
      deps,
      req =>
        readEvent('drill-fetch', {
          queryType: 'list',
          entityRef: pageFilter(req.query).entityRef ?? null,
        }),
      (req, credentials) =>
        drills.list(
          {
            ...pageFilter(req.query),
            kind: queryEnumList(req.query, 'kind', DRILL_KINDS),
            status: queryEnumList(req.query, 'status', DRILL_STATUSES),
          },
          credentials,
        ),
    ),
  );

  router.post(
    '/drills',
    auditedHandler(
      deps,
      req => {
        const { entityRef, kind, target }: CreateDrillRequest = req.body;
        return createEvent('drill-create', { entityRef, kind, target });
      },
      (req, credentials) => drills.create(req.body, credentials),
    ),
  );

  router.get(
    '/drills/:id',
    auditedHandler(
      deps,
      req =>
        readEvent('drill-fetch', { queryType: 'by-id', id: req.params.id }),
      (req, credentials) => drills.get(req.params.id, credentials),
    ),
  );

  router.patch(
    '/drills/:id',
    auditedHandler(
      deps,
      req => updateEvent('drill-update', req),
      (req, credentials) => drills.update(req.params.id, req.body, credentials),
    ),
  );

  router.put(
    '/drills/:id/steps/:name',
    auditedHandler(
      deps,
      req => {
        const body: UpsertDrillStepRequest = req.body;
        const { id, name } = req.params;
        return {
          eventId: 'drill-step-update',
          meta: { id, step: name, status: body.status },
          severityLevel: 'low',
        };
      },
      (req, credentials) =>
        drills.upsertStep(
          req.params.id,
          req.params.name,
          req.body,
          credentials,
        ),
    ),
  );
}
