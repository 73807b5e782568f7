import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { DoraMetrics, DoraTrendPoint } from '@opsdeck/plugin-ops-common';
import { entityRead, useEntityRead } from '../../hooks';
import { formatDuration } from '../shared';

const BUCKET_LABELS: Record<string, string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  yearly: 'Yearly',
  'one-day': 'Less than a day',
  'one-week': 'Less than a week',
  'one-month': 'Less than a month',
  'six-months': 'Less than six months',
  'one-year': 'More than six months',
};

/** A bar per week: the trend of one key, highest bar = highest value. */
function Trend(props: {
  label: string;
  points: DoraTrendPoint[];
  value: (point: DoraTrendPoint) => number | undefined;
}) {
  const values = props.points.map(props.value);
  const max = Math.max(0, ...values.map(v => v ?? 0));
  return (
    <svg
      width={props.points.length * 8}
      height={24}
      role="img"
      aria-label={`${props.label} per week: ${values
        .map(v => (v === undefined ? '-' : Number(v.toFixed(2))))
        .join(', ')}`}
    >
      {values.map((v, i) => {
        const height = max > 0 && v ? Math.max(2, (v / max) * 24) : 0;
        return (
          <rect
            key={props.points[i].weekStart}
            x={i * 8}
            y={24 - height}
            width={6}
            height={height}
            fill="currentColor"
            opacity={0.6}
          />
        );
      })}
    </svg>
  );
}

function Key(props: {
  title: string;
  value: string;
  bucket?: string;
  detail: string;
  trend: React.ReactNode;
}) {
  return (
    <Grid item xs={12} sm={6} lg={3}>
      <Box role="group" aria-label={props.title}>
        <Typography variant="overline" component="h3">
          {props.title}
        </Typography>
        <Typography variant="h5" component="p">
          {props.value}
        </Typography>
        <Typography variant="body2">
          {props.bucket ? BUCKET_LABELS[props.bucket] ?? props.bucket : '-'}
        </Typography>
        <Typography variant="caption" color="textSecondary" component="p">
          {props.detail}
        </Typography>
        {props.trend}
      </Box>
    </Grid>
  );
}

function minutes(value: number | undefined): string {
  return value === undefined ? 'no data' : formatDuration(value * 60);
}

function Keys(props: { dora: DoraMetrics }) {
  const { dora } = props;
  const {
    deploymentFrequency: frequency,
    leadTimeForChanges: leadTime,
    changeFailureRate: failures,
    timeToRestore: restore,
  } = dora;
  return (
    <Grid container spacing={2}>
      <Key
        title="Deployment frequency"
        value={`${frequency.perDay.toFixed(2)} / day`}
        bucket={frequency.bucket}
        detail={`${frequency.deployments} successful ${dora.environments.join(
          ' or ',
        )} ${
          frequency.deployments === 1 ? 'deployment' : 'deployments'
        } recorded in ${frequency.days} days`}
        trend={
          <Trend
            label="Deployments"
            points={dora.trend}
            value={p => p.deployments}
          />
        }
      />
      <Key
        title="Lead time for changes"
        value={minutes(leadTime.medianMinutes)}
        bucket={leadTime.bucket}
        detail={`median of ${leadTime.samples} changes, commit to production`}
        trend={
          <Trend
            label="Median lead time"
            points={dora.trend}
            value={p => p.medianLeadTimeMinutes}
          />
        }
      />
      <Key
        title="Change failure rate"
        value={
          failures.rate === undefined
            ? 'no data'
            : `${(failures.rate * 100).toFixed(1)} %`
        }
        bucket={failures.bucket}
        detail={`${failures.failures} of ${failures.deployments} rolled back or caused an incident`}
        trend={
          <Trend
            label="Change failure rate"
            points={dora.trend}
            value={p => p.changeFailureRate}
          />
        }
      />
      <Key
        title="Time to restore"
        value={minutes(restore.medianMinutes)}
        bucket={restore.bucket}
        detail={`median of ${restore.samples} incidents resolved`}
        trend={
          <Trend
            label="Median time to restore"
            points={dora.trend}
            value={p => p.medianTimeToRestoreMinutes}
          />
        }
      />
    </Grid>
  );
}

/** The card's read: the entity's DORA metrics over the default window. */
export const doraCardRead = entityRead('dora-card', (opsApi, entityRef) =>
  opsApi.getDoraMetrics({ entityRef }),
);

/**
 * DORA's four keys of the entity in context over the last 90 days, as
 * Google's Four Keys computes them, with a bar per week for their trend.
 *
 * @public
 */
export function DoraCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useEntityRead(doraCardRead, entityRef);
  return (
    <InfoCard
      title="DORA metrics"
      subheader="Last 90 days of the deployments recorded by CI and rollbacks (those listed on the Deployments card), and of incidents"
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && <Keys dora={value} />}
    </InfoCard>
  );
}
