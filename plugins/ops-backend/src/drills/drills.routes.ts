import {
  CreateDrillRequest,
  DRILL_KINDS,
  DRILL_STATUSES,
  UpdateDrillRequest,
  UpsertDrillStepRequest,
} from '@opsdeck/plugin-ops-common';
import { Request, Response } from 'express';
import { Audited } from '../http/audit';
import type { OpsRouter } from '../http/createRouter';
import { Credentials } from '../http/credentials';
import { pageFilter, queryEnumList } from '../http/query';
import { DrillsService } from './DrillsService';

/** The drill endpoints: HTTP mapping only; the spec validated the request. */
export function bindDrillRoutes(
  router: OpsRouter,
  deps: { drills: DrillsService; audited: Audited; credentials: Credentials },
) {
  const { drills, audited, credentials } = deps;

  router.get('/drills', async (req: Request, res: Response) => {
    const filter = {
      ...pageFilter(req.query),
      kind: queryEnumList(req.query, 'kind', DRILL_KINDS),
      status: queryEnumList(req.query, 'status', DRILL_STATUSES),
    };
    res.json(
      await audited(
        req,
        'drill-fetch',
        { queryType: 'list', entityRef: filter.entityRef ?? null },
        async () => drills.list(filter, await credentials(req)),
        'low',
      ),
    );
  });

  router.post('/drills', async (req: Request, res: Response) => {
    const body: CreateDrillRequest = req.body;
    const drill = await audited(
      req,
      'drill-create',
      { entityRef: body.entityRef, kind: body.kind, target: body.target },
      async () => drills.create(body, await credentials(req)),
    );
    res.status(201).json(drill);
  });

  router.get('/drills/:id', async (req: Request, res: Response) => {
    res.json(
      await audited(
        req,
        'drill-fetch',
        { queryType: 'by-id', id: req.params.id },
        async () => drills.get(req.params.id, await credentials(req)),
        'low',
      ),
    );
  });

  router.patch('/drills/:id', async (req: Request, res: Response) => {
    const body: UpdateDrillRequest = req.body;
    res.json(
      await audited(
        req,
        'drill-update',
        { id: req.params.id, fields: Object.keys(body) },
        async () => drills.update(req.params.id, body, await credentials(req)),
      ),
    );
  });

  router.put('/drills/:id/steps/:name', async (req: Request, res: Response) => {
    const body: UpsertDrillStepRequest = req.body;
    res.json(
      await audited(
        req,
        'drill-step-update',
        { id: req.params.id, step: req.params.name, status: body.status },
        async () =>
          drills.upsertStep(
            req.params.id,
            req.params.name,
            body,
            await credentials(req),
          ),
        'low',
      ),
    );
  });
}
