import { spawn } from 'node:child_process';
import path from 'node:path';

/** A program and its arguments; never a shell command line. */
export interface Command {
  file: string;
  args: string[];
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

const MAX_CAPTURED = 256 * 1024;

/** The last non-empty lines of a process's error output, for a one-line report. */
export function lastLines(text: string, count = 2): string {
  return text
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' | ');
}

/** A command that exited with an error; the message carries its last error lines. */
export class CommandFailedError extends Error {
  readonly stderr: string;

  constructor(command: Command, reason: string, stderr: string) {
    const tail = lastLines(stderr);
    super(`${path.basename(command.file)} ${reason}${tail ? `: ${tail}` : ''}`);
    this.name = 'CommandFailedError';
    this.stderr = stderr;
  }
}

/** Runs the command as another (unprivileged) user through runuser. */
export function asUser(command: Command, user: string | undefined): Command {
  if (!user) {
    return command;
  }
  return {
    file: 'runuser',
    args: ['-u', user, '--', command.file, ...command.args],
  };
}

/**
 * The environment of the PostgreSQL programs: the backend's, without the
 * libpq variables (PGHOST, PGSSLMODE...) that would silently change where
 * or how they connect, with times in UTC and untranslated messages.
 */
export function postgresEnvironment(
  extra: Record<string, string | undefined> = {},
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (!name.startsWith('PG')) {
      env[name] = value;
    }
  }
  env.TZ = 'UTC';
  env.LC_MESSAGES = 'C';
  for (const [name, value] of Object.entries(extra)) {
    if (value !== undefined) {
      env[name] = value;
    }
  }
  return env;
}

function appendCapped(buffer: string, chunk: Buffer): string {
  const next = buffer + chunk.toString('utf8');
  return next.length > MAX_CAPTURED ? next.slice(-MAX_CAPTURED) : next;
}

/**
 * Runs a program with an argument array (no shell), resolving with its
 * output when it exits with 0 and rejecting with {@link CommandFailedError}
 * otherwise. An aborted signal kills it. `input`, when given, is written to
 * its standard input, which is then closed.
 */
export function runCommand(
  command: Command,
  options: {
    env?: NodeJS.ProcessEnv;
    signal?: AbortSignal;
    cwd?: string;
    input?: string;
  } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new Error(`${path.basename(command.file)} not started: aborted`));
      return;
    }
    const child = spawn(command.file, command.args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? postgresEnvironment(),
      cwd: options.cwd,
      signal: options.signal,
    });
    let stdout = '';
    let stderr = '';
    // Without input the program reads end-of-file at once, as from
    // /dev/null. One that exits without reading it all: its exit code says why.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    child.stdout.on('data', chunk => {
      stdout = appendCapped(stdout, chunk);
    });
    child.stderr.on('data', chunk => {
      stderr = appendCapped(stderr, chunk);
    });
    child.on('error', error => {
      reject(
        error.name === 'AbortError'
          ? new CommandFailedError(command, 'was cancelled', stderr)
          : new CommandFailedError(
              command,
              `could not be started (${error.message})`,
              stderr,
            ),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve({ stdout, stderr });
      } else if (options.signal?.aborted) {
        reject(new CommandFailedError(command, 'was cancelled', stderr));
      } else {
        reject(
          new CommandFailedError(
            command,
            signal ? `was killed by ${signal}` : `exited with code ${code}`,
            stderr,
          ),
        );
      }
    });
  });
}
