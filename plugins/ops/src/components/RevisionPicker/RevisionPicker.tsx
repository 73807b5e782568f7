import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import useAsync from 'react-use/esm/useAsync';
import { opsApiRef } from '../../api';

/**
 * A scaffolder form field (`ui:field: OpsRevisionPicker`) that lists the
 * revisions of the workloads of the entity chosen in the form's `service`
 * field, from the ops backend's deployment history. Empty means the
 * previous revision, as `kubectl rollout undo`.
 *
 * @public
 */
export function RevisionPicker(
  props: FieldExtensionComponentProps<number | undefined>,
) {
  const { formData, onChange, schema, formContext, required, rawErrors } =
    props;
  const service = (formContext?.formData as { service?: string } | undefined)
    ?.service;
  const opsApi = useApi(opsApiRef);
  const { value, loading, error } = useAsync(
    async () =>
      service ? opsApi.getDeploymentHistory({ entityRef: service }) : undefined,
    [opsApi, service],
  );

  const options = (value?.items ?? []).flatMap(workload =>
    workload.revisions.map(revision => ({
      key: `${workload.cluster}/${workload.namespace}/${workload.name}/${revision.revision}`,
      value: revision.revision,
      label: `${workload.cluster}/${workload.namespace}/${
        workload.name
      } revision ${revision.revision}: ${revision.images.join(', ')}${
        revision.changeCause ? ` (${revision.changeCause})` : ''
      }${revision.current ? ', current' : ''}`,
    })),
  );
  // a revision given in the URL shows even before the history is loaded
  if (formData !== undefined && !options.some(o => o.value === formData)) {
    options.push({
      key: `given/${formData}`,
      value: formData,
      label: `revision ${formData}`,
    });
  }

  let helperText = schema.description;
  if (!service) helperText = 'Choose the service first';
  else if (loading) helperText = 'Loading the revisions...';
  else if (error) helperText = `Could not load the revisions: ${error.message}`;

  return (
    <TextField
      id={props.idSchema?.$id ?? 'ops-revision-picker'}
      select
      fullWidth
      margin="normal"
      label={schema.title ?? 'Revision'}
      required={required}
      error={Boolean(rawErrors?.length) || Boolean(error)}
      helperText={helperText}
      value={formData === undefined ? '' : String(formData)}
      onChange={event =>
        onChange(
          event.target.value === '' ? undefined : Number(event.target.value),
        )
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">Previous revision (kubectl rollout undo)</option>
      {options.map(option => (
        <option key={option.key} value={String(option.value)}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}
