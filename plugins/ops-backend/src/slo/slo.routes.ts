import { Request, Response } from 'express';
import type { OpsRouter } from '../http/createRouter';
import { Credentials } from '../http/credentials';
import { queryUnixSeconds, requiredQueryString } from '../http/query';
import { SloService } from './SloService';

/**
 * The SLO endpoints: HTTP mapping only. Reads follow the catalog (an entity
 * the caller cannot read is a 404); Prometheus and document problems come
 * back as data in a 200, so a card can say what is wrong.
 */
export function bindSloRoutes(
  router: OpsRouter,
  deps: { slos: SloService; credentials: Credentials },
) {
  const { slos, credentials } = deps;

  router.get('/slos', async (req: Request, res: Response) => {
    res.json(
      await slos.evaluate(
        requiredQueryString(req.query, 'entityRef'),
        await credentials(req),
        queryUnixSeconds(req.query, 'at'),
      ),
    );
  });

  router.get('/slos/rules', async (req: Request, res: Response) => {
    const file = await slos.rules(
      requiredQueryString(req.query, 'entityRef'),
      await credentials(req),
    );
    res.type('application/yaml').send(file);
  });

  router.get('/slos/history', async (req: Request, res: Response) => {
    res.json(
      await slos.history(
        requiredQueryString(req.query, 'entityRef'),
        requiredQueryString(req.query, 'slo'),
        await credentials(req),
        queryUnixSeconds(req.query, 'at'),
      ),
    );
  });
}
