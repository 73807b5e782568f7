import { CreateDeploymentRequest } from '@opsdeck/plugin-ops-common';
import { Request, Response } from 'express';
import { Audited, auditedHandler, createEvent } from '../http/audit';
import type { OpsRouter } from '../http/createRouter';
import { Credentials } from '../http/credentials';
import {
  pageFilter,
  queryList,
  queryString,
  requiredQueryString,
} from '../http/query';
import { DeploymentsService } from './DeploymentsService';

/** The deployments API and the DORA figures; the spec validated the request. */
export function bindDeploymentRoutes(
  router: OpsRouter,
  deps: {
    deployments: DeploymentsService;
    audited: Audited;
    credentials: Credentials;
    /** For POST /deployments: users and CI (ops.principals.deployments). */
    deploymentCredentials: Credentials;
  },
) {
  const { deployments, credentials, audited, deploymentCredentials } = deps;

  router.post(
    '/deployments',
    auditedHandler(
      { audited, credentials: deploymentCredentials },
      req => {
        const { entityRef, environment, status }: CreateDeploymentRequest =
          req.body;
        return createEvent(
          'deployment-create',
          { entityRef, environment, status },
          status === 'rolled-back' ? 'high' : 'medium',
        );
      },
      (req, caller) => deployments.create(req.body, caller),
    ),
  );

  router.get('/deployments', async (req: Request, res: Response) => {
    res.json(
      await deployments.list(
        {
          ...pageFilter(req.query),
          environment: queryString(req.query, 'environment'),
        },
        await credentials(req),
      ),
    );
  });

  router.get('/deployments/history', async (req: Request, res: Response) => {
    res.json(
      await deployments.history(
        requiredQueryString(req.query, 'entityRef'),
        await credentials(req),
      ),
    );
  });

  router.get('/dora', async (req: Request, res: Response) => {
    res.json(
      await deployments.dora(
        {
          entityRef: queryString(req.query, 'entityRef'),
          group: queryString(req.query, 'group'),
          from: queryString(req.query, 'from'),
          to: queryString(req.query, 'to'),
          environment: queryList(req.query, 'environment'),
        },
        await credentials(req),
      ),
    );
  });
}
