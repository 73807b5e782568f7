import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  databaseTargetsOf,
  OPSDECK_ANNOTATIONS,
  ReadinessReport,
} from '@opsdeck/plugin-ops-common';
import { ReactNode, useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { OpsApi, opsApiRef } from '../../api';

const DATABASES_CHECK_ID = 'databases';

/**
 * The targets the readiness report's databases check refuses (bound to no
 * entity, or not to this one), each with the backend's reason.
 */
export function unboundDatabaseTargets(
  report: ReadinessReport | undefined,
): Map<string, string> {
  const refused = report?.items.find(
    item => item.id === DATABASES_CHECK_ID,
  )?.refusedTargets;
  return new Map((refused ?? []).map(r => [r.target, r.reason]));
}

/** The service's unbound targets; none when readiness cannot be read. */
async function unboundTargetsOf(
  opsApi: OpsApi,
  service: string,
): Promise<Map<string, string>> {
  try {
    return unboundDatabaseTargets(
      await opsApi.getReadiness({ entityRef: service }),
    );
  } catch {
    return new Map(); // the actions' own check still refuses
  }
}

/** The form's `service` field: the entity whose targets are offered. */
function serviceOf(formData: unknown): string | undefined {
  const service = (formData as { service?: unknown } | undefined)?.service;
  return typeof service === 'string' && service ? service : undefined;
}

/** Why `target` may not be chosen for `entity`, or undefined when it may. */
export function databaseTargetProblem(
  entity: Entity,
  target: string,
): string | undefined {
  const targets = databaseTargetsOf(entity);
  if (targets.includes(target)) {
    return undefined;
  }
  const entityRef = stringifyEntityRef(entity);
  return targets.length === 0
    ? `${entityRef} lists no database targets in its ${OPSDECK_ANNOTATIONS.databases} annotation`
    : `'${target}' is not a database target of ${entityRef}; its ${
        OPSDECK_ANNOTATIONS.databases
      } annotation lists ${targets.join(', ')}`;
}

/**
 * A scaffolder form field (`ui:field: OpsDatabaseTargetPicker`) that offers
 * only the database targets the entity chosen in the form's `service` field
 * lists in its `opsdeck.dev/databases` annotation, read through the catalog
 * with the user's permissions. One target is preselected. A target the
 * service is not bound to in the admin config (`ops.databases.<name>.entities`
 * or `.owners`, as the readiness check reports it) is named in a warning with
 * the backend's reason, and validation refuses it. The scaffolder
 * actions refuse any other name, whatever the form sends: this field only
 * spares the user a failed run.
 *
 * @public
 */
export function DatabaseTargetPicker(
  props: FieldExtensionComponentProps<string | undefined>,
) {
  const { formData, onChange, schema, formContext, required, rawErrors } =
    props;
  const service = serviceOf(formContext?.formData);
  const catalogApi = useApi(catalogApiRef);
  const opsApi = useApi(opsApiRef);
  const { value, loading, error } = useAsync(async () => {
    if (!service) {
      return undefined;
    }
    const entity = await catalogApi.getEntityByRef(service);
    if (!entity) {
      throw new Error(`${service} is not in the catalog`);
    }
    return { service, entity, targets: databaseTargetsOf(entity) };
  }, [catalogApi, service]);
  const { value: unboundValue } = useAsync(async () => {
    if (!service) {
      return undefined;
    }
    return { service, unbound: await unboundTargetsOf(opsApi, service) };
  }, [opsApi, service]);
  // useAsync keeps the previous service's answer while the next one loads
  const loaded = value && value.service === service ? value : undefined;
  const targets = loaded?.targets ?? [];
  const unbound =
    unboundValue && unboundValue.service === service
      ? unboundValue.unbound
      : new Map<string, string>();

  // One target: nothing to choose. Also replaces the target of a service
  // chosen before, which this one does not list.
  const only = targets.length === 1 ? targets[0] : undefined;
  useEffect(() => {
    if (only !== undefined && formData !== only) {
      onChange(only);
    }
  }, [only, formData, onChange]);

  const options = targets.map(target => ({
    value: target,
    label: unbound.has(target) ? `${target} (not bound to ${service})` : target,
  }));
  // a target given in the URL (the Drills card's "Run drill") shows even
  // before the entity is loaded; validation refuses it if it is not listed
  if (formData && !targets.includes(formData)) {
    options.push({
      value: formData,
      label: loaded ? `${formData} (not listed by ${service})` : formData,
    });
  }

  let helperText: ReactNode = schema.description;
  if (!service) helperText = 'Choose the service first';
  else if (loading) helperText = 'Loading the database targets...';
  else if (error)
    helperText = `Could not load the database targets: ${error.message}`;
  else if (loaded && targets.length === 0)
    helperText = (
      <>
        {service} lists no database targets. Add the{' '}
        {OPSDECK_ANNOTATIONS.databases} annotation to its catalog-info.yaml with
        the names of its targets, as configured by the platform team under
        ops.databases.{' '}
        <Link to="/ops/annotations#databases">How to add it</Link>
      </>
    );

  return (
    <>
      {unbound.size > 0 && (
        <Alert severity="warning">
          <Typography variant="body2">
            {service} is not bound to{' '}
            {unbound.size === 1
              ? 'this database target'
              : 'these database targets'}
            , so it cannot be chosen:
          </Typography>
          {[...unbound].map(([target, reason]) => (
            <Typography key={target} variant="body2">
              {target}: {reason}
            </Typography>
          ))}
        </Alert>
      )}
      <TextField
        id={props.idSchema?.$id ?? 'ops-database-target-picker'}
        select
        fullWidth
        margin="normal"
        label={schema.title ?? 'Database target'}
        required={required}
        error={
          Boolean(rawErrors?.length) ||
          Boolean(error) ||
          Boolean(loaded && targets.length === 0)
        }
        helperText={helperText}
        value={formData ?? ''}
        onChange={event => onChange(event.target.value || undefined)}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
      >
        <option value="">Choose a target</option>
        {options.map(option => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </TextField>
    </>
  );
}

/**
 * Refuses a target the form's service does not list, before the task runs;
 * an empty value is the template's `required` to report.
 */
export const validateDatabaseTarget: CustomFieldValidator<
  string | undefined
> = async (target, validation, { apiHolder, formData }) => {
  const service = serviceOf(formData);
  if (!target || !service) {
    return;
  }
  const catalogApi = apiHolder.get(catalogApiRef);
  if (!catalogApi) {
    return; // no catalog to ask: the action's own check still refuses
  }
  const entity = await catalogApi.getEntityByRef(service);
  if (!entity) {
    validation.addError(`${service} is not in the catalog`);
    return;
  }
  const problem = databaseTargetProblem(entity, target);
  if (problem) {
    validation.addError(problem);
    return;
  }
  const opsApi = apiHolder.get(opsApiRef);
  const refusal = opsApi
    ? (await unboundTargetsOf(opsApi, service)).get(target)
    : undefined;
  if (refusal) {
    validation.addError(refusal);
  }
};
