/**
 * One Grafana dashboard of `opsdeck.dev/grafana-panels`: its uid, the panels
 * to embed and the dashboard variables to set.
 *
 * @public
 */
export interface GrafanaDashboardPanels {
  /** The dashboard uid, as in Grafana's `/d/<uid>/` URLs. */
  uid: string;
  /** Panel ids, in the order to show them. */
  panelIds: number[];
  /**
   * Dashboard variables as name and value, in the order given; a name may
   * repeat for a multi-value variable, as in Grafana's `var-` parameters.
   */
  variables: Array<{ name: string; value: string }>;
}

/**
 * What {@link parseGrafanaPanelsAnnotation} read: the dashboards, or why the
 * value is malformed.
 *
 * @public
 */
export type GrafanaPanelsParseResult =
  | { ok: true; dashboards: GrafanaDashboardPanels[] }
  | { ok: false; error: string };

// Grafana's own rule for dashboard uids: at most 40 of these characters.
const UID = /^[A-Za-z0-9_-]{1,40}$/;
const PANEL_ID = /^[1-9][0-9]{0,9}$/;
// Variable names as Grafana allows them in templates (`$service`).
const VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
// Only URL-unreserved characters: a value goes into the embed URL as is, so
// nothing in it can add or change a query parameter.
const VARIABLE_VALUE = /^[A-Za-z0-9._~-]{1,200}$/;

/**
 * Reads `opsdeck.dev/grafana-panels`: one or more entries separated by spaces
 * or new lines, each a dashboard uid, a colon, comma-separated panel ids and
 * optionally `?var-<name>=<value>` pairs joined by `&`, for example
 * `payments-overview:2,4?var-service=payments-api`. Any malformed entry makes
 * the whole value malformed, with a message that names the entry and why.
 *
 * @public
 */
export function parseGrafanaPanelsAnnotation(
  value: string | undefined,
): GrafanaPanelsParseResult {
  const entries = (value ?? '').split(/\s+/).filter(Boolean);
  if (entries.length === 0) {
    return { ok: false, error: 'no dashboard is given' };
  }
  const dashboards: GrafanaDashboardPanels[] = [];
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (typeof parsed === 'string') {
      return { ok: false, error: `“${entry}”: ${parsed}` };
    }
    dashboards.push(parsed);
  }
  return { ok: true, dashboards };
}

function parseEntry(entry: string): GrafanaDashboardPanels | string {
  const colon = entry.indexOf(':');
  if (colon < 0) {
    return 'expected <dashboard uid>:<panel ids>, e.g. payments-overview:2,4';
  }
  const uid = entry.slice(0, colon);
  const rest = entry.slice(colon + 1);
  const question = rest.indexOf('?');
  const panels = question < 0 ? rest : rest.slice(0, question);
  const query = question < 0 ? undefined : rest.slice(question + 1);
  if (!UID.test(uid)) {
    return `the dashboard uid “${uid}” must be 1 to 40 letters, digits, - or _`;
  }
  const panelIds: number[] = [];
  for (const id of panels.split(',')) {
    if (!PANEL_ID.test(id)) {
      return `the panel id “${id}” is not a positive whole number`;
    }
    panelIds.push(Number(id));
  }
  const variables: GrafanaDashboardPanels['variables'] = [];
  for (const pair of query === undefined ? [] : query.split('&')) {
    const match = /^var-([^=]*)=(.*)$/.exec(pair);
    if (!match) {
      return `“${pair}” is not var-<name>=<value>`;
    }
    const [, name, variableValue] = match;
    if (!VARIABLE_NAME.test(name)) {
      return `the variable name “${name}” must be letters, digits or _`;
    }
    if (!VARIABLE_VALUE.test(variableValue)) {
      return `the value “${variableValue}” of var-${name} must be letters, digits, ., _, ~ or -`;
    }
    variables.push({ name, value: variableValue });
  }
  return { uid, panelIds, variables };
}

/**
 * A time range of the Grafana panels card, in Grafana's relative time syntax.
 *
 * @public
 */
export interface GrafanaTimeRange {
  /** What the picker shows, e.g. `Last 6 hours`. */
  label: string;
  /** Grafana's `from`, e.g. `now-6h`. */
  from: string;
  /** Grafana's `to`. */
  to: string;
}

/**
 * The time ranges the Grafana panels card offers; the first is the default.
 *
 * @public
 */
export const GRAFANA_TIME_RANGES: readonly GrafanaTimeRange[] = [
  { label: 'Last 1 hour', from: 'now-1h', to: 'now' },
  { label: 'Last 6 hours', from: 'now-6h', to: 'now' },
  { label: 'Last 24 hours', from: 'now-24h', to: 'now' },
  { label: 'Last 7 days', from: 'now-7d', to: 'now' },
];

/**
 * The URL of one panel embedded on its own, Grafana's `d-solo` route
 * (https://grafana.com/docs/grafana/latest/dashboards/share-dashboards-panels/#embed-panel).
 *
 * @public
 */
export function grafanaPanelEmbedUrl(options: {
  /** Grafana's root URL, e.g. `https://grafana.example.com`. */
  baseUrl: string;
  /** The Grafana organization; Grafana's default is 1. */
  orgId?: number;
  uid: string;
  panelId: number;
  variables?: GrafanaDashboardPanels['variables'];
  from: string;
  to: string;
  theme?: 'light' | 'dark';
}): string {
  const params = new URLSearchParams();
  params.set('orgId', String(options.orgId ?? 1));
  params.set('panelId', String(options.panelId));
  params.set('from', options.from);
  params.set('to', options.to);
  params.set('theme', options.theme ?? 'light');
  for (const { name, value } of options.variables ?? []) {
    params.append(`var-${name}`, value);
  }
  const base = options.baseUrl.replace(/\/+$/, '');
  return `${base}/d-solo/${encodeURIComponent(options.uid)}/?${params}`;
}
