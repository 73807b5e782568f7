import { Audited, auditedHandler } from '../http/audit';
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

  router.post(
    '/alerts/alertmanager',
    auditedHandler(
      { audited, credentials: serviceCredentials },
      req => {
        const body: AlertmanagerWebhookPayload = req.body;
        return {
          eventId: 'alertmanager-webhook',
          meta: {
            groupKey: body.groupKey,
            status: body.status,
            alerts: body.alerts.length,
          },
          severityLevel: body.status === 'firing' ? 'high' : 'medium',
        };
      },
      (req, credentials) => alertmanager.receive(req.body, credentials),
    ),
  );
}
