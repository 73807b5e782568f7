import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MuiLink from '@material-ui/core/Link';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { Deployment, WorkloadHistory } from '@opsdeck/plugin-ops-common';
import { entityRead, useEntityRead } from '../../hooks';
import { Actor, Timestamp } from '../shared';
import { rollbackTemplatePath } from './rollbackLink';
import { linkRevisions, revisionAnchor, RevisionLink } from './revisionLinks';

const DEPLOYMENTS_SHOWN = 10;

/** The card's read: the clusters' revisions and the recorded deployments. */
export const deploymentsCardRead = entityRead(
  'deployments-card',
  (opsApi, entityRef) =>
    Promise.all([
      opsApi.getDeploymentHistory({ entityRef }),
      opsApi.listDeployments({ entityRef, limit: DEPLOYMENTS_SHOWN }),
    ]),
);

function Workload(props: {
  workload: WorkloadHistory;
  entityRef: string;
  deploymentsOf: Map<string, Deployment[]>;
}) {
  const { workload, entityRef, deploymentsOf } = props;
  const { rollout } = workload;
  const recordedOf = (revision: number) =>
    deploymentsOf.get(revisionAnchor(workload, revision)) ?? [];
  const unrecorded = workload.revisions
    .filter(revision => recordedOf(revision.revision).length === 0)
    .map(revision => revision.revision)
    .sort((a, b) => a - b);
  return (
    <Box mb={3}>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
        <Typography variant="subtitle1">
          {workload.cluster} / {workload.namespace} / {workload.name}
        </Typography>
        <Chip
          size="small"
          label={rollout.state}
          data-rollout={rollout.state}
          color={rollout.state === 'failed' ? 'secondary' : 'default'}
        />
        <Typography variant="body2" color="textSecondary">
          {rollout.availableReplicas}/{rollout.replicas} available
        </Typography>
      </Box>
      <Box overflow="auto">
        <Table
          size="small"
          aria-label={`Revisions of ${workload.name} in ${workload.cluster}`}
        >
          <TableHead>
            <TableRow>
              <TableCell>Revision</TableCell>
              <TableCell>Image</TableCell>
              <TableCell>Age</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Change cause</TableCell>
              <TableCell>Recorded as</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {workload.revisions.map(revision => (
              <TableRow
                key={revision.name}
                id={revisionAnchor(workload, revision.revision)}
              >
                <TableCell>{revision.revision}</TableCell>
                <TableCell>
                  {revision.images.map(image => (
                    <Typography key={image} variant="body2" component="div">
                      <code>{image}</code>
                    </Typography>
                  ))}
                </TableCell>
                <TableCell>
                  <Timestamp iso={revision.createdAt} />
                </TableCell>
                <TableCell>
                  {revision.current
                    ? `current, ${revision.readyReplicas}/${revision.replicas} ready`
                    : `${revision.readyReplicas}/${revision.replicas} ready`}
                </TableCell>
                <TableCell>{revision.changeCause ?? '-'}</TableCell>
                <TableCell>
                  {recordedOf(revision.revision)
                    .map(d => `${d.version} (${d.status})`)
                    .join(', ') || '-'}
                </TableCell>
                <TableCell align="right">
                  {!revision.current && (
                    <Button
                      size="small"
                      component={Link}
                      to={rollbackTemplatePath({
                        entityRef,
                        cluster: workload.cluster,
                        namespace: workload.namespace,
                        deployment: workload.name,
                        toRevision: revision.revision,
                      })}
                    >
                      Roll back to this revision
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      {unrecorded.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          {unrecorded.length === 1 ? 'Revision' : 'Revisions'}{' '}
          {unrecorded.join(', ')} of {workload.name}{' '}
          {unrecorded.length === 1 ? 'has' : 'have'} no recorded deployment
          naming {unrecorded.length === 1 ? 'its' : 'their'} image: the DORA
          figures count recorded deployments only.
        </Typography>
      )}
    </Box>
  );
}

function RevisionCell(props: { link?: RevisionLink }) {
  const { link } = props;
  if (!link) return <>-</>;
  const { workload, revision } = link;
  return (
    <MuiLink href={`#${revisionAnchor(workload, revision.revision)}`}>
      {workload.name} revision {revision.revision}
    </MuiLink>
  );
}

function RecordedDeployments(props: {
  items: Deployment[];
  revisionOf: Map<string, RevisionLink>;
}) {
  return (
    <Box overflow="auto">
      <Typography variant="subtitle1">Recorded deployments</Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        Posted by CI and by rollbacks; the DORA figures count those that
        succeeded in production.
      </Typography>
      <Table size="small" aria-label="Recorded deployments">
        <TableHead>
          <TableRow>
            <TableCell>Environment</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Revision</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>When</TableCell>
            <TableCell>By</TableCell>
            <TableCell>Details</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.items.map(deployment => (
            <TableRow key={deployment.id}>
              <TableCell>{deployment.environment}</TableCell>
              <TableCell>
                {deployment.url ? (
                  <Link to={deployment.url}>{deployment.version}</Link>
                ) : (
                  deployment.version
                )}
              </TableCell>
              <TableCell>
                <RevisionCell link={props.revisionOf.get(deployment.id)} />
              </TableCell>
              <TableCell>{deployment.status}</TableCell>
              <TableCell>
                <Timestamp
                  iso={deployment.finishedAt ?? deployment.startedAt}
                />
              </TableCell>
              <TableCell>
                <Actor actor={deployment.createdBy} />
              </TableCell>
              <TableCell>{deployment.description ?? '-'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/**
 * The entity's workloads per cluster with their revisions (image, age,
 * status, change cause) and a button that opens the rollback template for
 * a revision, and the deployments CI and rollbacks recorded, with who made
 * them.
 *
 * @public
 */
export function DeploymentsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useEntityRead(
    deploymentsCardRead,
    entityRef,
  );
  const [history, recorded] = value ?? [];
  const links = linkRevisions(history?.items ?? [], recorded?.items ?? []);

  return (
    <InfoCard
      title="Deployments"
      subheader="Revisions running in each cluster, and the deployments recorded by CI and rollbacks"
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {history?.errors.map(e => (
        <Alert key={`${e.source}-${e.cluster}`} severity="warning">
          {e.cluster ? `${e.source} (${e.cluster})` : e.source}: {e.message}
        </Alert>
      ))}
      {history && history.items.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No Kubernetes Deployment found: label the Deployment and its pods with
          backstage.io/kubernetes-id and set the same annotation on this entity.
        </Typography>
      )}
      {history?.items.map(workload => (
        <Workload
          key={`${workload.source}/${workload.cluster}/${workload.namespace}/${workload.name}`}
          workload={workload}
          entityRef={entityRef}
          deploymentsOf={links.deploymentsOf}
        />
      ))}
      {recorded && recorded.items.length > 0 && (
        <RecordedDeployments
          items={recorded.items}
          revisionOf={links.revisionOf}
        />
      )}
    </InfoCard>
  );
}
