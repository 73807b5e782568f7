import { isLoopbackPortOpen } from './network';
import { exists } from './serverProcesses';

/**
 * What cleaning up proved.
 *
 * @public
 */
export interface CleanupProof {
  /** Processes still running from the instance's data directory. */
  processesLeft: number[];
  /** Whether 127.0.0.1:port still accepts connections. */
  portOpen: boolean;
  directoryExists: boolean;
  /** True when nothing is left. */
  clean: boolean;
  /** One line for the drill step. */
  summary: string;
}

/**
 * Checks what a destroyed instance left (processes, its port, its
 * directory) and says so in one line, after the notes of what was done.
 */
export async function proveCleanup(options: {
  rootDir: string;
  port: number | undefined;
  processesLeft: number[];
  notes: string[];
}): Promise<CleanupProof> {
  const { rootDir, port, processesLeft, notes } = options;
  const portOpen = port === undefined ? false : await isLoopbackPortOpen(port);
  const directoryExists = await exists(rootDir);
  const clean = processesLeft.length === 0 && !portOpen && !directoryExists;
  const proof = [
    processesLeft.length === 0
      ? `no process runs from ${rootDir}`
      : `processes ${processesLeft.join(', ')} still run from ${rootDir}`,
    port === undefined
      ? 'no port was opened'
      : `127.0.0.1:${port} ${
          portOpen ? 'still accepts connections' : 'refuses connections'
        }`,
    directoryExists ? `${rootDir} still exists` : `${rootDir} removed`,
  ];
  return {
    processesLeft,
    portOpen,
    directoryExists,
    clean,
    summary: `${clean ? 'Nothing left' : 'LEFT BEHIND'}: ${[
      ...notes,
      ...proof,
    ].join('; ')}`,
  };
}
