import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { readableEntity } from '../../catalog/readableEntity';
import { resolveDrillTarget } from '../../postgres/target';
import { databaseTargetInput } from '../postgres/targetInput';

/**
 * Creates the `ops:database:engine` action: says which engine a service's
 * database target runs (`postgres`, `mysql`), so that one template can run
 * the right engine's action with `if:`. Reads only, with the user's own
 * catalog permissions, and refuses the same targets the operations refuse
 * (not named by the entity, not configured, not bound to it); the
 * operation's action then checks that the user may run it.
 *
 * @public
 */
export function createDatabaseEngineAction(options: {
  config: Config;
  catalog: CatalogService;
}) {
  const { config, catalog } = options;
  return createTemplateAction({
    id: 'ops:database:engine',
    description:
      "Says which engine a service's database target runs (postgres or mysql), for a template that runs the engine's own action",
    examples: [
      {
        description: 'Drill the target with the action of its engine',
        example: `steps:
  - id: target
    name: Database target
    action: ops:database:engine
    input:
      entityRef: \${{ parameters.service }}
      target: \${{ parameters.target }}
  - id: drill
    if: \${{ steps.target.output.engine === 'mysql' }}
    action: ops:mysql:backup-drill
    input:
      entityRef: \${{ parameters.service }}
      target: \${{ parameters.target }}`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: databaseTargetInput,
      output: {
        engine: z =>
          z.enum(['postgres', 'mysql'], {
            description: 'The engine of the target (`engine` in its config)',
          }),
      },
    },
    async handler(ctx) {
      const entity = await readableEntity(
        catalog,
        ctx.input.entityRef,
        await ctx.getInitiatorCredentials(),
      );
      const target = resolveDrillTarget({
        entity,
        target: ctx.input.target,
        config,
      });
      ctx.logger.info(`${target.name} is a ${target.engine} target`);
      ctx.output('engine', target.engine);
    },
  });
}
