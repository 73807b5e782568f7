import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { Request } from 'express';
import { spec } from '../schema/openapi';
import { SloService } from '../service/slo/SloService';

type OpsRouter = ReturnType<typeof createValidatedOpenApiRouter<typeof spec>>;

/** `at` is validated as a date-time by the OpenAPI document. */
function unixSeconds(at: unknown): number | undefined {
  return typeof at === 'string' ? Date.parse(at) / 1000 : undefined;
}

/**
 * The SLO endpoints: HTTP mapping only. Reads follow the catalog (an entity
 * the caller cannot read is a 404); Prometheus and document problems come
 * back as data in a 200, so a card can say what is wrong.
 */
export function registerSloRoutes(
  router: OpsRouter,
  options: {
    slos: SloService;
    credentials: (req: Request) => Promise<BackstageCredentials>;
  },
) {
  const { slos, credentials } = options;

  router.get('/slos', async (req, res) => {
    const query = req.query as { entityRef: string; at?: string };
    res.json(
      await slos.evaluate(
        query.entityRef,
        await credentials(req),
        unixSeconds(query.at),
      ),
    );
  });

  router.get('/slos/rules', async (req, res) => {
    const query = req.query as { entityRef: string };
    const file = await slos.rules(query.entityRef, await credentials(req));
    res.type('application/yaml').send(file);
  });

  router.get('/slos/history', async (req, res) => {
    const query = req.query as { entityRef: string; slo: string; at?: string };
    res.json(
      await slos.history(
        query.entityRef,
        query.slo,
        await credentials(req),
        unixSeconds(query.at),
      ),
    );
  });
}
