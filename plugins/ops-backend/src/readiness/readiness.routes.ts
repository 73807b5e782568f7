import { Request, Response } from 'express';
import type { OpsRouter } from '../http/createRouter';
import { Credentials } from '../http/credentials';
import { requiredQueryString } from '../http/query';
import { ReadinessService } from './ReadinessService';

/** The readiness scorecard of an entity. */
export function bindReadinessRoutes(
  router: OpsRouter,
  deps: { readiness: ReadinessService; credentials: Credentials },
) {
  const { readiness, credentials } = deps;

  router.get('/readiness', async (req: Request, res: Response) => {
    res.json(
      await readiness.getReadiness(
        requiredQueryString(req.query, 'entityRef'),
        { credentials: await credentials(req) },
      ),
    );
  });
}
