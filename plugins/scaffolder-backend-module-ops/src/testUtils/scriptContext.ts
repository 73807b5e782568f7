import fs from 'node:fs';

/**
 * The action context of a script run outside Jest and outside the
 * scaffolder (the killed-task child, the benchmark): log lines on stdout,
 * outputs in a map, checkpoints in a JSON file when one is named, as the
 * scaffolder keeps them in the task's state.
 *
 * @public
 */
export function scriptActionContext(options: {
  input: Record<string, unknown>;
  taskId: string;
  checkpointsFile?: string;
  quiet?: boolean;
}) {
  const file = options.checkpointsFile;
  const checkpoints: Record<string, unknown> =
    file && fs.existsSync(file)
      ? JSON.parse(fs.readFileSync(file, 'utf8'))
      : {};
  const outputs = new Map<string, unknown>();
  const log = (level: string) => (message: string) => {
    if (!options.quiet || level !== 'info') {
      process.stdout.write(`${level} ${message}\n`);
    }
  };
  const logger: any = {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: () => {},
    child: () => logger,
  };
  const ctx: any = {
    input: options.input,
    logger,
    output: (name: string, value: unknown) => outputs.set(name, value),
    checkpoint: async ({ key, fn }: { key: string; fn: () => unknown }) => {
      if (!(key in checkpoints)) {
        checkpoints[key] = await fn();
        if (file) {
          fs.writeFileSync(file, JSON.stringify(checkpoints));
        }
      }
      return checkpoints[key];
    },
    getInitiatorCredentials: async () => ({}),
    task: { id: options.taskId },
    isDryRun: false,
  };
  return { ctx, outputs };
}
