import { InputError } from '@backstage/errors';
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

/**
 * The name a person typed to confirm a real run (the templates ask for it):
 * when given, it must be one of the names of what the run changes, checked
 * before anything is read or changed. A dry run needs none. Absent, the
 * caller is not a form (an API client or another action), which the
 * permission checks govern.
 */
export function checkTypedConfirmation(options: {
  dryRun: boolean;
  confirmation: string | undefined;
  /** The names the person may type, e.g. the target's, or the service's. */
  names: string[];
  /** What a real run does, e.g. `fail over payments-db`. */
  operation: string;
}): void {
  const { dryRun, confirmation, names, operation } = options;
  if (dryRun || confirmation === undefined) {
    return;
  }
  if (!names.includes(confirmation.trim())) {
    throw new InputError(
      `confirmation: typed "${confirmation}", but a real run must confirm ${names
        .map(name => `"${name}"`)
        .join(' or ')}; nothing was done (${operation})`,
    );
  }
}
