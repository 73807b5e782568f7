import { JsonValue } from '@backstage/types';

/**
 * The one dry-run notion of OpsDeck's actions: the scaffolder's dry run, or
 * the action's own `dryRun` input (templates default to it). A dry run reads
 * and reports what a real run would do; it changes and records nothing.
 */
export function isDryRun(ctx: {
  isDryRun?: boolean;
  input: { dryRun?: boolean };
}): boolean {
  return ctx.isDryRun === true || ctx.input.dryRun === true;
}

/**
 * Runs a side effect at most once across retries of the task, through its
 * checkpoint; checkpoints hold JSON values, so structured results go through
 * text.
 */
export function jsonOnce(
  checkpoint: <T extends JsonValue | void>(options: {
    key: string;
    fn: () => Promise<T> | T;
  }) => Promise<T>,
) {
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> =>
    JSON.parse(
      (await checkpoint({
        key,
        fn: async () => JSON.stringify((await fn()) ?? null),
      })) as string,
    );
}
