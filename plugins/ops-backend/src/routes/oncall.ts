import {
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { CreateOnCallOverrideRequest } from '@opsdeck/plugin-ops-common';
import { Request, Router } from 'express';
import { AlertmanagerWebhookPayload } from '../service/alerts/alertmanagerPayload';
import { AlertmanagerService } from '../service/alerts/AlertmanagerService';
import { OnCallService } from '../service/oncall/OnCallService';

/** The router's audit wrapper (see router.ts). */
export type Audited = <T>(
  req: Request,
  eventId: string,
  meta: JsonObject,
  access: () => Promise<T>,
  severityLevel?: AuditorServiceEventSeverityLevel,
) => Promise<T>;

/**
 * On-call and the Alertmanager webhook: HTTP mapping only. The OpenAPI
 * document (schema/oncall.ts) has validated every request before a handler
 * runs.
 */
export function registerOnCallRoutes(
  router: Router,
  options: {
    onCall: OnCallService;
    alertmanager: AlertmanagerService;
    audited: Audited;
    credentials: (req: Request) => Promise<BackstageCredentials>;
    serviceCredentials: (req: Request) => Promise<BackstageCredentials>;
  },
) {
  const { onCall, alertmanager, audited, credentials, serviceCredentials } =
    options;

  router.get('/oncall', async (req, res) => {
    const query = req.query as { entityRef: string; at?: string };
    res.json(
      await onCall.getOnCall(
        query.entityRef,
        await credentials(req),
        query.at ? new Date(query.at) : undefined,
      ),
    );
  });

  router.get('/oncall/overrides', async (req, res) => {
    const query = req.query as { entityRef: string };
    const items = await onCall.listOverrides(
      query.entityRef,
      await credentials(req),
    );
    res.json({ items });
  });

  router.post('/oncall/overrides', async (req, res) => {
    const body = req.body as CreateOnCallOverrideRequest;
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

  router.delete('/oncall/overrides/:id', async (req, res) => {
    res.json(
      await audited(
        req,
        'oncall-override-delete',
        { id: req.params.id },
        async () =>
          onCall.deleteOverride(req.params.id, await credentials(req)),
      ),
    );
  });

  router.post('/alerts/alertmanager', async (req, res) => {
    const body = req.body as AlertmanagerWebhookPayload;
    res.json(
      await audited(
        req,
        'alertmanager-webhook',
        {
          groupKey: body.groupKey,
          status: body.status,
          alerts: body.alerts.length,
        },
        async () => alertmanager.receive(body, await serviceCredentials(req)),
        body.status === 'firing' ? 'high' : 'medium',
      ),
    );
  });
}
