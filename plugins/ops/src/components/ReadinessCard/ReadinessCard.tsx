import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import { ReadinessItem } from '@opsdeck/plugin-ops-common';
import { entityRead, useEntityRead } from '../../hooks';
import { useInAppLink } from '../shared';

function ReadinessItemRow(props: { item: ReadinessItem }) {
  const { item } = props;
  const documentationLink = useInAppLink(item.documentationUrl);
  const present = item.status === 'present';
  return (
    <ListItem data-testid={`readiness-${item.id}`} data-status={item.status}>
      <ListItemIcon>
        {present ? (
          <CheckCircleIcon style={{ color: '#2e7d32' }} titleAccess="present" />
        ) : (
          <ErrorOutlineIcon
            style={{ color: '#c62828' }}
            titleAccess="missing"
          />
        )}
      </ListItemIcon>
      <ListItemText
        primary={item.title}
        // Hints are whole sentences with a link at the end: let them wrap.
        secondaryTypographyProps={{
          style: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
        }}
        secondary={
          <>
            {item.detail}
            {!present && (
              <>
                {' '}
                <Link to={documentationLink}>How to add it</Link>
              </>
            )}
          </>
        }
      />
    </ListItem>
  );
}

/** The card's read: the entity's readiness checklist. */
export const readinessCardRead = entityRead(
  'readiness-card',
  (opsApi, entityRef) => opsApi.getReadiness({ entityRef }),
);

/**
 * Lists what a production service should have (SLOs, runbooks, on-call,
 * dashboards, a rollback plan, drilled databases) and whether the entity in
 * context has it.
 *
 * @public
 */
export function ReadinessCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useEntityRead(readinessCardRead, entityRef);

  return (
    <InfoCard
      title="Operational readiness"
      subheader={value && `${value.present} of ${value.total} in place`}
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          {value.present < value.total && (
            <Typography variant="body2" color="textSecondary">
              What the operations checklist expects of a production service.
            </Typography>
          )}
          <List dense>
            {value.items.map(item => (
              <ReadinessItemRow key={item.id} item={item} />
            ))}
          </List>
        </>
      )}
    </InfoCard>
  );
}
