export type {
  GrafanaDashboardPanels,
  GrafanaPanelsParseResult,
  GrafanaTimeRange,
} from './panels';
export {
  GRAFANA_TIME_RANGES,
  grafanaPanelEmbedUrl,
  parseGrafanaPanelsAnnotation,
} from './panels';
