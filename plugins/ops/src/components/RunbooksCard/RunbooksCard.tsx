import { InfoCard, Link } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  OPSDECK_ANNOTATIONS,
  parseRunbooksAnnotation,
  techDocsPagePath,
} from '@opsdeck/plugin-ops-common';

/**
 * The runbooks of the entity: each alert name of `opsdeck.dev/runbooks` with
 * a link to its page in the entity's TechDocs.
 *
 * @public
 */
export function RunbooksCard() {
  const { entity } = useEntity();
  const { runbooks, invalid } = parseRunbooksAnnotation(
    entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.runbooks],
  );
  const target = {
    kind: entity.kind,
    namespace: entity.metadata.namespace,
    name: entity.metadata.name,
  };
  return (
    <InfoCard title="Runbooks">
      {invalid.length > 0 && (
        <Alert severity="warning">
          Entries of {OPSDECK_ANNOTATIONS.runbooks} that are not “AlertName:
          page”: {invalid.join(', ')}
        </Alert>
      )}
      {runbooks.length === 0 ? (
        <Typography variant="body2">
          No runbooks linked.{' '}
          <Link to="/ops/annotations#runbooks">How to link them</Link>
        </Typography>
      ) : (
        <List dense aria-label="Runbooks">
          {runbooks.map(runbook => (
            <ListItem
              key={runbook.alert}
              data-testid={`runbook-${runbook.alert}`}
            >
              <ListItemText
                primary={
                  <Link to={techDocsPagePath(target, runbook.page)}>
                    {runbook.alert}
                  </Link>
                }
                secondary={runbook.page}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
