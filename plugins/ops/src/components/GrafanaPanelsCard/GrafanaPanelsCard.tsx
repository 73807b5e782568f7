import { InfoCard, Link } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  GRAFANA_TIME_RANGES,
  grafanaPanelEmbedUrl,
  OPSDECK_ANNOTATIONS,
  parseGrafanaPanelsAnnotation,
} from '@opsdeck/plugin-ops-common';
import { useRef, useState } from 'react';
import useIntersection from 'react-use/esm/useIntersection';

const TITLE = 'Grafana panels';

/** `ops.grafana` of the app config, or why it cannot be used. */
function useGrafanaConfig():
  | { baseUrl: string; orgId?: number }
  | { error: string } {
  const config = useApi(configApiRef);
  try {
    const baseUrl = config.getOptionalString('ops.grafana.baseUrl');
    if (!baseUrl) {
      return {
        error:
          'ops.grafana.baseUrl is not configured: an administrator sets it to the URL of Grafana in app-config.',
      };
    }
    const protocol = new URL(baseUrl).protocol;
    if (protocol !== 'https:' && protocol !== 'http:') {
      return { error: `ops.grafana.baseUrl is not an http(s) URL: ${baseUrl}` };
    }
    return { baseUrl, orgId: config.getOptionalNumber('ops.grafana.orgId') };
  } catch (e) {
    return { error: `ops.grafana is misconfigured: ${(e as Error).message}` };
  }
}

const PANEL_HEIGHT = 300;

/**
 * An embedded panel, created once its place comes within a screen of the
 * viewport. The card is the tab's last: created with the tab, the demo's two
 * frames cost an in-app navigation about 60 ms before any card showed its
 * data (bench/README.md), and Grafana rendered panels nobody scrolled to.
 * Without IntersectionObserver (an old browser, jsdom) it is created at once.
 */
function PanelFrame(props: { title: string; src: string }) {
  const place = useRef<HTMLDivElement>(null);
  const intersection = useIntersection(place, { rootMargin: '100% 0px' });
  const [reached, setReached] = useState(
    typeof IntersectionObserver !== 'function',
  );
  if (!reached && intersection?.isIntersecting) setReached(true);
  return (
    <div ref={place} style={{ minHeight: PANEL_HEIGHT }}>
      {reached && (
        <iframe
          title={props.title}
          src={props.src}
          width="100%"
          height={PANEL_HEIGHT}
          style={{ border: 0 }}
        />
      )}
    </div>
  );
}

/**
 * The Grafana panels of `opsdeck.dev/grafana-panels`, each embedded on its
 * own (Grafana's `d-solo` URL) from `ops.grafana.baseUrl`, with one time
 * range for all of them.
 *
 * @public
 */
export function GrafanaPanelsCard() {
  const { entity } = useEntity();
  const grafana = useGrafanaConfig();
  const [range, setRange] = useState(GRAFANA_TIME_RANGES[0]);
  const annotation =
    entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.grafanaPanels];

  if (annotation === undefined) {
    return (
      <InfoCard title={TITLE}>
        <Typography variant="body2">
          No Grafana panels linked.{' '}
          <Link to="/ops/annotations#grafana-panels">How to link them</Link>
        </Typography>
      </InfoCard>
    );
  }
  const parsed = parseGrafanaPanelsAnnotation(annotation);
  if (!parsed.ok) {
    return (
      <InfoCard title={TITLE}>
        <Alert severity="error">
          {OPSDECK_ANNOTATIONS.grafanaPanels} is malformed: {parsed.error}.{' '}
          <Link to="/ops/annotations#grafana-panels">The format</Link>
        </Alert>
      </InfoCard>
    );
  }
  if ('error' in grafana) {
    return (
      <InfoCard title={TITLE}>
        <Alert severity="warning">{grafana.error}</Alert>
      </InfoCard>
    );
  }

  const panels = parsed.dashboards.flatMap(dashboard =>
    dashboard.panelIds.map(panelId => ({ dashboard, panelId })),
  );
  return (
    <InfoCard
      title={TITLE}
      action={
        <ToggleButtonGroup
          size="small"
          exclusive
          aria-label="Time range"
          value={range.from}
          onChange={(_event, from: string | null) => {
            const next = GRAFANA_TIME_RANGES.find(r => r.from === from);
            // A click on the selected button gives null: keep the range.
            if (next) setRange(next);
          }}
        >
          {GRAFANA_TIME_RANGES.map(r => (
            <ToggleButton key={r.from} value={r.from} aria-label={r.label}>
              {r.from.replace('now-', '')}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      }
    >
      <Grid container spacing={2}>
        {panels.map(({ dashboard, panelId }, index) => {
          const title = `${dashboard.uid} · panel ${panelId}`;
          return (
            <Grid
              item
              xs={12}
              md={6}
              // A panel may be listed twice with other variables.
              key={`${index}-${dashboard.uid}-${panelId}`}
              data-testid={`grafana-panel-${dashboard.uid}-${panelId}`}
            >
              <Typography variant="subtitle2" component="h3">
                {title}
              </Typography>
              <PanelFrame
                title={title}
                src={grafanaPanelEmbedUrl({
                  baseUrl: grafana.baseUrl,
                  orgId: grafana.orgId,
                  uid: dashboard.uid,
                  panelId,
                  variables: dashboard.variables,
                  from: range.from,
                  to: range.to,
                })}
              />
            </Grid>
          );
        })}
      </Grid>
    </InfoCard>
  );
}
