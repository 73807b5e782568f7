import { HttpAuthService } from '@backstage/backend-plugin-api';
import { CreateDeploymentRequest } from '@opsdeck/plugin-ops-common';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { Request, Response } from 'express';
import { spec } from '../schema/openapi';
import { DeploymentsService } from '../service/deployments/DeploymentsService';

type Audited = <T>(
  req: Request,
  eventId: string,
  meta: Record<string, string | null>,
  access: () => Promise<T>,
  severityLevel?: 'low' | 'medium' | 'high' | 'critical',
) => Promise<T>;

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]) as string[];
}

/** The deployments API and the DORA figures; the spec validated the request. */
export function registerDeploymentRoutes(
  router: ReturnType<typeof createValidatedOpenApiRouter<typeof spec>>,
  options: {
    httpAuth: HttpAuthService;
    audited: Audited;
    deployments: DeploymentsService;
  },
) {
  const { httpAuth, audited, deployments } = options;
  const credentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/deployments', async (req: Request, res: Response) => {
    const body = req.body as CreateDeploymentRequest;
    const deployment = await audited(
      req,
      'deployment-create',
      {
        entityRef: body.entityRef,
        environment: body.environment,
        status: body.status,
      },
      async () => deployments.create(body, await credentials(req)),
      body.status === 'rolled-back' ? 'high' : 'medium',
    );
    res.status(201).json(deployment);
  });

  router.get('/deployments', async (req: Request, res: Response) => {
    const query = req.query as Record<string, string | undefined>;
    res.json(
      await deployments.list(
        {
          entityRef: query.entityRef,
          environment: query.environment,
          from: query.from,
          to: query.to,
          cursor: query.cursor,
          limit: query.limit ? Number(query.limit) : undefined,
        },
        await credentials(req),
      ),
    );
  });

  router.get('/deployments/history', async (req: Request, res: Response) => {
    res.json(
      await deployments.history(
        (req.query as { entityRef: string }).entityRef,
        await credentials(req),
      ),
    );
  });

  router.get('/dora', async (req: Request, res: Response) => {
    const query = req.query as Record<string, unknown>;
    res.json(
      await deployments.dora(
        {
          entityRef: query.entityRef as string | undefined,
          group: query.group as string | undefined,
          from: query.from as string | undefined,
          to: query.to as string | undefined,
          environment: list(query.environment),
        },
        await credentials(req),
      ),
    );
  });
}
