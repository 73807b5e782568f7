import { CreateOnCallOverrideRequest } from '@opsdeck/plugin-ops-common';
import { Request, Response } from 'express';
import { Audited, auditedHandler, createEvent } from '../http/audit';
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
  const { onCall, credentials } = deps;

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

  router.post(
    '/oncall/overrides',
    auditedHandler(
      deps,
      req => {
        const {
          entityRef,
          level,
          userRef,
          start,
          end,
        }: CreateOnCallOverrideRequest = req.body;
        return createEvent('oncall-override-create', {
          entityRef,
          level,
          userRef,
          start,
          end,
        });
      },
      (req, caller) => onCall.addOverride(req.body, caller),
    ),
  );

  router.delete(
    '/oncall/overrides/:id',
    auditedHandler(
      deps,
      req => ({
        eventId: 'oncall-override-delete',
        meta: { id: req.params.id },
      }),
      (req, caller) => onCall.deleteOverride(req.params.id, caller),
    ),
  );
}
