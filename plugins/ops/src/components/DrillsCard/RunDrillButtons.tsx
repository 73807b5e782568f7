import { stringifyEntityRef } from '@backstage/catalog-model';
import { LinkButton } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import {
  databaseTargetsOf,
  Drill,
  opsDrillWritePermission,
} from '@opsdeck/plugin-ops-common';
import {
  OPERATION_TEMPLATES,
  OperationTemplate,
  useFailoverTargets,
  useOperationTemplateLink,
} from '../shared';

/** The template that runs `ops:postgres:backup-drill` (templates/ops-backup-drill). */
export const BACKUP_DRILL_TEMPLATE = OPERATION_TEMPLATES.backupDrill;

function OperationButton(props: {
  label: string;
  href: string;
  deniedReason: string | false;
}) {
  const { label, href, deniedReason } = props;
  if (deniedReason) {
    return (
      <Tooltip title={deniedReason}>
        <span>
          <Button size="small" variant="outlined" disabled>
            {label}
          </Button>
        </span>
      </Tooltip>
    );
  }
  return (
    <LinkButton size="small" variant="outlined" color="primary" to={href}>
      {label}
    </LinkButton>
  );
}

/** Why the person may not run the entity's drills, or false when they may. */
function useDrillDeniedReason(entityRef: string): string | false {
  const { allowed, loading } = usePermission({
    permission: opsDrillWritePermission,
    resourceRef: entityRef,
  });
  if (loading) return 'Checking your permissions…';
  return !allowed && 'Only the owners of this service can run its drills';
}

/**
 * "Re-run drill" for a failed backup-restore drill: the backup-drill
 * template with the service and the same target filled in. Nothing for
 * other drills (no template re-runs them as they ran) or without a
 * scaffolder.
 */
export function RerunDrillButton(props: { drill: Drill }) {
  const { drill } = props;
  const templateLink = useOperationTemplateLink();
  const deniedReason = useDrillDeniedReason(drill.entityRef);
  if (
    !templateLink ||
    drill.status !== 'failed' ||
    drill.kind !== 'backup-restore'
  ) {
    return null;
  }
  return (
    <OperationButton
      label="Re-run drill"
      href={templateLink(BACKUP_DRILL_TEMPLATE, {
        service: drill.entityRef,
        target: drill.target,
      })}
      deniedReason={deniedReason}
    />
  );
}

/**
 * "Run drill" per database target of the entity, and "Fail over" per target
 * that can fail over (not a MySQL one): each opens its template with the
 * service and the target filled in, as a dry run (the template asks for the
 * target's name before a real failover). Nothing when the entity names no
 * target or the app has no scaffolder; disabled, saying why, when the user
 * may not record drills of the entity.
 */
export function RunDrillButtons() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const templateLink = useOperationTemplateLink();
  const targets = databaseTargetsOf(entity);
  const failoverTargets = useFailoverTargets(targets);
  const deniedReason = useDrillDeniedReason(entityRef);
  if (!templateLink || targets.length === 0) {
    return null;
  }
  const operationsOn = (
    target: string,
  ): Array<{ verb: string; template: OperationTemplate }> => [
    { verb: 'Run drill', template: OPERATION_TEMPLATES.backupDrill },
    ...(failoverTargets.includes(target)
      ? [{ verb: 'Fail over', template: OPERATION_TEMPLATES.failover }]
      : []),
  ];
  return (
    <Box display="flex" flexWrap="wrap" justifyContent="flex-end" mb={1}>
      {targets.flatMap(target =>
        operationsOn(target).map(({ verb, template }) => (
          <Box key={`${verb} ${target}`} ml={1} mb={0.5}>
            <OperationButton
              label={targets.length === 1 ? verb : `${verb} of ${target}`}
              href={templateLink(template, {
                service: entityRef,
                target,
                ...(template === OPERATION_TEMPLATES.failover
                  ? { mode: 'dry-run' }
                  : {}),
              })}
              deniedReason={deniedReason}
            />
          </Box>
        )),
      )}
    </Box>
  );
}
