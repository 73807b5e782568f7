import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * A backup's manifest file, or undefined when there is none (a backup made
 * by a job that writes none). One that exists but cannot be read fails:
 * verifying less than the backup promises would hide a problem. Shared by
 * the engines; each parses its own manifest format.
 */
export async function readManifestFile<T>(
  file: string,
  parse: (text: string, file: string) => T,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new Error(
      `Cannot read the backup manifest ${file}: ${
        (error as NodeJS.ErrnoException).code ?? String(error)
      }`,
    );
  }
  return parse(text, file);
}

/**
 * Writes a manifest under a hidden name first and renames it, like the
 * dump, so no reader ever sees half of it.
 */
export async function writeManifestFile(
  file: string,
  manifest: unknown,
): Promise<string> {
  const partial = path.join(
    path.dirname(file),
    `.${path.basename(file)}.partial`,
  );
  try {
    await fs.writeFile(partial, `${JSON.stringify(manifest, null, 2)}\n`, {
      mode: 0o644,
    });
    await fs.rename(partial, file);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw error;
  }
  return file;
}
