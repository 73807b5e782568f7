import { OPSDECK_ANNOTATIONS } from '../annotations';

/**
 * One alert of a service and the page of its TechDocs that is its runbook.
 *
 * @public
 */
export interface RunbookLink {
  alert: string;
  /** Path of the page inside the entity's TechDocs, e.g. `runbooks/high-error-rate`. */
  page: string;
}

const ENTRY = /^([A-Za-z_][A-Za-z0-9_:-]*)\s*:\s*([A-Za-z0-9_./#-]+)$/;

/**
 * Reads the `opsdeck.dev/runbooks` annotation: comma separated or one per
 * line, `AlertName: path/of/page`. Entries that do not parse are returned in
 * `invalid`, so a readiness check can name them; a page may not climb out of
 * the docs with `..`.
 *
 * @public
 */
export function parseRunbooksAnnotation(value: string | undefined): {
  runbooks: RunbookLink[];
  invalid: string[];
} {
  const runbooks: RunbookLink[] = [];
  const invalid: string[] = [];
  for (const raw of (value ?? '').split(/[,\n]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const match = ENTRY.exec(entry);
    if (!match || match[2].split('/').includes('..')) {
      invalid.push(entry);
      continue;
    }
    runbooks.push({
      alert: match[1],
      page: match[2].replace(/^\/+|\/+$/g, ''),
    });
  }
  return { runbooks, invalid };
}

/**
 * The app path of a page of an entity's TechDocs, as the TechDocs reader
 * routes it: `/docs/<namespace>/<kind>/<name>/<page>/`.
 *
 * @public
 */
export function techDocsPagePath(
  entity: { kind: string; namespace?: string; name: string },
  page: string,
): string {
  const parts = [
    (entity.namespace ?? 'default').toLocaleLowerCase('en-US'),
    entity.kind.toLocaleLowerCase('en-US'),
    entity.name,
  ].map(encodeURIComponent);
  const [path, anchor] = page.split('#');
  const pagePath = path
    .split('/')
    .filter(Boolean)
    .map(encodeURIComponent)
    .join('/');
  return `/docs/${parts.join('/')}/${pagePath ? `${pagePath}/` : ''}${
    anchor ? `#${anchor}` : ''
  }`;
}

/**
 * The runbook of an alert of an entity, from its `opsdeck.dev/runbooks`
 * annotation: the TechDocs page and its absolute URL in the app. For alert
 * rules (`runbook_url`) and for incidents opened by alerts.
 *
 * @public
 */
export function runbookForAlert(
  entity: {
    kind: string;
    metadata: {
      name: string;
      namespace?: string;
      annotations?: Record<string, string>;
    };
  },
  alertName: string,
  appBaseUrl: string,
): { page: string; url: string } | undefined {
  const { runbooks } = parseRunbooksAnnotation(
    entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.runbooks],
  );
  const page = runbooks.find(r => r.alert === alertName)?.page;
  if (!page) return undefined;
  const path = techDocsPagePath(
    {
      kind: entity.kind,
      namespace: entity.metadata.namespace,
      name: entity.metadata.name,
    },
    page,
  );
  return { page, url: `${appBaseUrl.replace(/\/+$/, '')}${path}` };
}
