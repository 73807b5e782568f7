/**
 * YAML documents of SLO files, with the positions of their nodes, so that an
 * error points at the line and column of the offending key.
 */
import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import type { SloDefinitionError } from '../model';
import type { Path, SloSourceFile } from './common';

/** One YAML document and a way to point at places in it. */
export class DocumentContext {
  constructor(
    readonly file: string,
    readonly documentIndex: number,
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly errors: SloDefinitionError[],
  ) {}

  error(path: Path, message: string) {
    const position = this.position(path);
    this.errors.push({
      file: this.file,
      documentIndex: this.documentIndex,
      path: formatPath(path),
      ...position,
      message,
    });
  }

  // The line of the deepest node of the path that exists: a missing key is
  // reported where its parent is.
  private position(path: Path): { line?: number; column?: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = (
        depth === 0
          ? this.doc.contents
          : this.doc.getIn(path.slice(0, depth), true)
      ) as { range?: [number, number, number] } | null | undefined;
      if (node && typeof node === 'object' && node.range) {
        const { line, col } = this.lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return {};
  }
}

function formatPath(path: Path): string {
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : `${index === 0 ? '' : '.'}${part}`,
    )
    .join('');
}

export interface ParsedDocument {
  context: DocumentContext;
  value: Record<string, unknown>;
}

export function readYamlDocuments(
  file: SloSourceFile,
  errors: SloDefinitionError[],
): ParsedDocument[] {
  const lineCounter = new LineCounter();
  let docs: Document[];
  try {
    docs = Array.from(
      parseAllDocuments(file.content, { lineCounter }) as Iterable<Document>,
    );
  } catch (e) {
    errors.push({ file: file.path, path: '', message: (e as Error).message });
    return [];
  }
  const result: ParsedDocument[] = [];
  docs.forEach((doc, documentIndex) => {
    const context = new DocumentContext(
      file.path,
      documentIndex,
      doc,
      lineCounter,
      errors,
    );
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const [start] = e.linePos ?? [];
        errors.push({
          file: file.path,
          documentIndex,
          path: '',
          line: start?.line,
          column: start?.col,
          message: `invalid YAML: ${e.message.split('\n')[0]}`,
        });
      }
      return;
    }
    let value: unknown;
    try {
      // A small alias budget: SLO files have no reason to use many aliases,
      // and it stops "billion laughs" documents.
      value = doc.toJS({ maxAliasCount: 20 });
    } catch (e) {
      context.error([], `invalid YAML: ${(e as Error).message}`);
      return;
    }
    if (value === null || value === undefined) {
      return; // an empty document, e.g. after a trailing `---`
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      context.error([], 'expected a mapping (an OpenSLO or Sloth document)');
      return;
    }
    result.push({ context, value: value as Record<string, unknown> });
  });
  return result;
}

export function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
  context: DocumentContext,
): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    return parsed.data;
  }
  for (const issue of parsed.error.issues.slice(0, 20)) {
    context.error(
      issue.path.filter(
        (p): p is string | number =>
          typeof p === 'string' || typeof p === 'number',
      ),
      issue.message,
    );
  }
  return undefined;
}
