import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

// The first and last bytes of a dump, read without holding the dump: a .sql
// is read at both ends; a .sql.gz has no random access, so it is decompressed
// as a stream of which only the head and a sliding tail are kept.

/** How much of each end is kept: the header and trailer are a few hundred bytes. */
export const DUMP_END_BYTES = 64 * 1024;

/** Whether the dump file is gzip-compressed, by its name. */
export function isGzipDump(file: string): boolean {
  return file.endsWith('.gz');
}

/** The dump's ends, and for a .gz whether the stream was whole. */
export interface DumpEnds {
  head: string;
  tail: string;
  /** Why the compressed stream could not be read to its end, when it could not. */
  unreadable?: string;
}

async function readPlainEnds(file: string): Promise<DumpEnds> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, DUMP_END_BYTES));
    await handle.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, DUMP_END_BYTES));
    await handle.read(tail, 0, tail.length, size - tail.length);
    return { head: head.toString('utf8'), tail: tail.toString('utf8') };
  } finally {
    await handle.close();
  }
}

function readGzipEnds(file: string, signal?: AbortSignal): Promise<DumpEnds> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let headBytes = 0;
    let tail = Buffer.alloc(0);
    const source = createReadStream(file, { signal });
    const gunzip = createGunzip();
    const finish = (unreadable?: string) => {
      source.destroy();
      gunzip.destroy();
      resolve({
        head: Buffer.concat(chunks).toString('utf8'),
        tail: tail.toString('utf8'),
        unreadable,
      });
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (headBytes < DUMP_END_BYTES) {
        const part = chunk.subarray(0, DUMP_END_BYTES - headBytes);
        chunks.push(part);
        headBytes += part.length;
      }
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > DUMP_END_BYTES) {
        tail = tail.subarray(tail.length - DUMP_END_BYTES);
      }
    });
    gunzip.on('end', () => finish());
    gunzip.on('error', error => finish(error.message));
    source.on('error', error => {
      gunzip.destroy();
      reject(error);
    });
    source.pipe(gunzip);
  });
}

/** Reads the head and tail of a .sql or .sql.gz dump. */
export function readDumpEnds(
  file: string,
  signal?: AbortSignal,
): Promise<DumpEnds> {
  return isGzipDump(file) ? readGzipEnds(file, signal) : readPlainEnds(file);
}
