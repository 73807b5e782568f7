import { stringifyEntityRef } from '@backstage/catalog-model';
import { LinkButton } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import {
  databaseTargetsOf,
  opsDrillWritePermission,
} from '@opsdeck/plugin-ops-common';
import { selectedTemplateRouteRef } from '../../routes';

/** The template that runs `ops:postgres:backup-drill` (templates/ops-backup-drill). */
export const BACKUP_DRILL_TEMPLATE = {
  namespace: 'default',
  templateName: 'ops-backup-drill',
};

/**
 * "Run drill" per database target of the entity: opens the backup drill
 * template with the service and the target filled in. Nothing when the
 * entity names no target or the app has no scaffolder; disabled, saying why,
 * when the user may not record drills of the entity.
 */
export function RunDrillButtons() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const templateLink = useRouteRef(selectedTemplateRouteRef);
  const targets = databaseTargetsOf(entity);
  const { allowed, loading } = usePermission({
    permission: opsDrillWritePermission,
    resourceRef: entityRef,
  });
  if (!templateLink || targets.length === 0) {
    return null;
  }
  const deniedReason = loading
    ? 'Checking your permissions…'
    : !allowed && 'Only the owners of this service can run its drills';
  return (
    <Box display="flex" flexWrap="wrap" justifyContent="flex-end" mb={1}>
      {targets.map(target => {
        const formData = JSON.stringify({ service: entityRef, target });
        const href = `${templateLink(
          BACKUP_DRILL_TEMPLATE,
        )}?${new URLSearchParams({ formData })}`;
        const label =
          targets.length === 1 ? 'Run drill' : `Run drill of ${target}`;
        const button = deniedReason ? (
          <Button size="small" variant="outlined" disabled>
            {label}
          </Button>
        ) : (
          <LinkButton size="small" variant="outlined" color="primary" to={href}>
            {label}
          </LinkButton>
        );
        return (
          <Box key={target} ml={1}>
            {deniedReason ? (
              <Tooltip title={deniedReason}>
                <span>{button}</span>
              </Tooltip>
            ) : (
              button
            )}
          </Box>
        );
      })}
    </Box>
  );
}
