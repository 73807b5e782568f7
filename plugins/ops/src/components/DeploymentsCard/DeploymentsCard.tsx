import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import { WholeWordTable as Table } from '../shared/WholeWordTable';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { Deployment, WorkloadHistory } from '@opsdeck/plugin-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';
import { Actor, Timestamp } from '../shared';
import { rollbackTemplatePath } from './rollbackLink';

const DEPLOYMENTS_SHOWN = 10;

function Workload(props: { workload: WorkloadHistory; entityRef: string }) {
  const { workload, entityRef } = props;
  const { rollout } = workload;
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
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {workload.revisions.map(revision => (
              <TableRow key={revision.name}>
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
    </Box>
  );
}

function RecordedDeployments(props: { items: Deployment[] }) {
  return (
    <Box overflow="auto">
      <Typography variant="subtitle1">Recorded deployments</Typography>
      <Table size="small" aria-label="Recorded deployments">
        <TableHead>
          <TableRow>
            <TableCell>Environment</TableCell>
            <TableCell>Version</TableCell>
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
  const opsApi = useApi(opsApiRef);
  const { value, loading, error } = useAsync(
    () =>
      Promise.all([
        opsApi.getDeploymentHistory({ entityRef }),
        opsApi.listDeployments({ entityRef, limit: DEPLOYMENTS_SHOWN }),
      ]),
    [opsApi, entityRef],
  );
  const [history, recorded] = value ?? [];

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
        />
      ))}
      {recorded && recorded.items.length > 0 && (
        <RecordedDeployments items={recorded.items} />
      )}
    </InfoCard>
  );
}
