import { CreateOnCallOverrideRequest } from '@opsdeck/plugin-ops-common';
import { Request, Response } from 'express';
import { Audited } from '../http/audit';
import type { OpsRouter } from '../http/createRouter';
import { Credentials } from '../http/credentials';
import { queryString, requiredQueryString } from '../http/query';
import { OnCallService } from './OnCallService';

/**
 * On-call: HTTP mapping only. The OpenAPI document (schema/oncall.ts) has
 * validated every request before a handler runs.
 */
export function bindOnCallRoutes(
  router: OpsRouter,
  deps: { onCall: OnCallService; audited: Audited; credentials: Credentials },
) {
  const { onCall, audited, credentials } = deps;

  router.get('/oncall', async (req: Request, res: Response) => {
    const at = queryString(req.query, 'at');
    res.json(
      await onCall.getOnCall(
        requiredQueryString(req.query, 'entityRef'),
        await credentials(req),
        at ? new Date(at) : undefined,
      ),
    );
  });

  router.get('/oncall/overrides', async (req: Request, res: Response) => {
    const items = await onCall.listOverrides(
      requiredQueryString(req.query, 'entityRef'),
      await credentials(req),
    );
    res.json({ items });
  });

  router.post('/oncall/overrides', async (req: Request, res: Response) => {
    const body: CreateOnCallOverrideRequest = req.body;
    const override = await audited(
      req,
      'oncall-override-create',
      {
        entityRef: body.entityRef,
        level: body.level,
        userRef: body.userRef,
        start: body.start,
        end: body.end,
      },
      async () => onCall.addOverride(body, await credentials(req)),
    );
    res.status(201).json(override);
  });

  router.delete(
    '/oncall/overrides/:id',
    async (req: Request, res: Response) => {
      res.json(
        await audited(
          req,
          'oncall-override-delete',
          { id: req.params.id },
          async () =>
            onCall.deleteOverride(req.params.id, await credentials(req)),
        ),
      );
    },
  );
}
