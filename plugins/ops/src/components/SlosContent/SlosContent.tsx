import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { EvaluatedSlo } from '@opsdeck/plugin-ops-common';
import { AlertStateChip } from '../SloCard/AlertStateChip';
import { BurnRateBadges, BurnRateLegend } from '../SloCard/BurnRates';
import {
  BudgetBar,
  DataCoverage,
  SloBudgetHistory,
  SloDescription,
  SliText,
  SloReportProblems,
  useSloReport,
} from '../SloCard/SloCard';
import {
  describeSloError,
  formatBurnRate,
  formatMinutes,
  formatPercent,
} from '../SloCard/format';

const QUERY_SOURCES = {
  'opsdeck-rules': "OpsDeck's recording rules",
  'sloth-rules': "Sloth's recording rules",
  raw: 'the raw counters (no recording rules found)',
} as const;

function SloDetails(props: { slo: EvaluatedSlo; entityRef: string }) {
  const { slo, entityRef } = props;
  const facts: Array<[string, string]> = [
    [
      'Objective',
      `${formatPercent(slo.objective)} over ${slo.window} (rolling)`,
    ],
    [
      'Budgeting',
      slo.timeslices
        ? `Timeslices: a ${
            slo.timeslices.slice
          } slice is good when ${formatPercent(
            slo.timeslices.sliceTarget,
          )} of its events are`
        : 'Occurrences: good events over all events',
    ],
    [
      'Indicator',
      slo.indicatorType === 'latency'
        ? 'Latency (histogram bucket)'
        : 'Ratio of events',
    ],
    ['Service', slo.service],
    [
      'Defined in',
      `${slo.source.file} (document ${slo.source.documentIndex + 1})`,
    ],
  ];
  if (slo.querySource) {
    facts.push(['Computed from', QUERY_SOURCES[slo.querySource]]);
  }
  if (slo.errorBudget) {
    facts.push([
      'Error budget',
      `${formatMinutes(slo.errorBudget.totalMinutes)} of full outage per ${
        slo.window
      }`,
    ]);
  }
  return (
    <InfoCard title={slo.displayName} action={<AlertStateChip slo={slo} />}>
      <Grid container spacing={2}>
        {slo.description && (
          <Grid item xs={12}>
            <SloDescription text={slo.description} />
          </Grid>
        )}
        <Grid item xs={12} md={5}>
          <Table size="small">
            <TableBody>
              {facts.map(([name, value]) => (
                <TableRow key={name}>
                  <TableCell component="th" scope="row">
                    {name}
                  </TableCell>
                  <TableCell>{value}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Grid>
        <Grid item xs={12} md={7}>
          {slo.error ? (
            <Alert severity="error" data-testid="slo-error">
              {describeSloError(slo.error)}
            </Alert>
          ) : (
            <>
              <SliText slo={slo} decimals={4} variant="body1" />
              <DataCoverage slo={slo} />
              <BudgetBar slo={slo} />
              <SloBudgetHistory
                entityRef={entityRef}
                slo={slo}
                width={480}
                height={120}
                title
              />
              <Typography variant="subtitle2" style={{ marginTop: 8 }}>
                Burn rates
              </Typography>
              <BurnRateBadges slo={slo} />
              <BurnRateLegend slo={slo} />
            </>
          )}
        </Grid>
        {slo.alerts && (
          <Grid item xs={12}>
            <Typography variant="subtitle2">
              Alert tiers: what the generated rules compute from these burn
              rates (whether Prometheus pages is the chip above)
            </Typography>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>Tier</TableCell>
                  <TableCell>Fires above</TableCell>
                  <TableCell>Long window</TableCell>
                  <TableCell>Short window</TableCell>
                  <TableCell>Burn rates</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {slo.alerts.tiers.map(
                  ({ tier, longBurnRate, shortBurnRate, firing }) => (
                    <TableRow key={tier.id} data-testid={`slo-tier-${tier.id}`}>
                      <TableCell>
                        {tier.id} ({tier.severity})
                      </TableCell>
                      <TableCell>
                        {formatBurnRate(tier.burnRateFactor)}
                      </TableCell>
                      <TableCell>
                        {tier.longWindow}:{' '}
                        {longBurnRate === undefined
                          ? 'no data'
                          : formatBurnRate(longBurnRate)}
                      </TableCell>
                      <TableCell>
                        {tier.shortWindow}:{' '}
                        {shortBurnRate === undefined
                          ? 'no data'
                          : formatBurnRate(shortBurnRate)}
                      </TableCell>
                      <TableCell>
                        {firing ? 'over the tier' : 'below the tier'}
                      </TableCell>
                    </TableRow>
                  ),
                )}
              </TableBody>
            </Table>
          </Grid>
        )}
      </Grid>
    </InfoCard>
  );
}

/**
 * The SLOs tab of an entity page: every SLO with its definition, numbers,
 * budget chart and alert tiers.
 *
 * @public
 */
export function SlosContent() {
  const { value, loading, error, entityRef } = useSloReport();
  if (loading && !value) return <Progress />;
  if (error && !value) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SloReportProblems report={value} />
        {value.slos.length === 0 && !value.error && (
          <Typography variant="body1">
            No SLOs defined for this entity.
          </Typography>
        )}
      </Grid>
      {value.slos.map(slo => (
        <Grid item xs={12} key={slo.name}>
          <SloDetails slo={slo} entityRef={entityRef} />
        </Grid>
      ))}
    </Grid>
  );
}
