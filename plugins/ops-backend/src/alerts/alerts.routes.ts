import { Request, Response } from 'express';
import { Audited } from '../http/audit';
import type { OpsRouter } from '../http/createRouter';
import { Credentials } from '../http/credentials';
import { AlertmanagerWebhookPayload } from './alertmanagerPayload';
import { AlertmanagerService } from './AlertmanagerService';

/**
 * The Alertmanager webhook. The caller (Alertmanager, with an external access
 * token restricted to this plugin) is checked by `serviceCredentials`; the
 * plugin then reads the catalog and writes the incident as itself.
 */
export function bindAlertRoutes(
  router: OpsRouter,
  deps: {
    alertmanager: AlertmanagerService;
    audited: Audited;
    serviceCredentials: Credentials;
  },
) {
  const { alertmanager, audited, serviceCredentials } = deps;

  router.post('/alerts/alertmanager', async (req: Request, res: Response) => {
    const body: AlertmanagerWebhookPayload = req.body;
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
