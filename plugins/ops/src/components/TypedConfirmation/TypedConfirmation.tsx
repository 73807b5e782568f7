import { parseEntityRef } from '@backstage/catalog-model';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';

/**
 * `ui:options` of the `OpsTypedConfirmation` form field.
 *
 * @public
 */
export interface TypedConfirmationUiOptions {
  /**
   * The form field whose value must be typed (`target` of the failover,
   * `service` of the rollback, whose entity name is typed).
   */
  matches?: string;
}

/**
 * The word a person must type: the value of the `matches` field, or the
 * name alone when that value is an entity reference (nobody should have to
 * type `component:default/payments-api` at 3 a.m.).
 */
export function expectedConfirmation(
  formData: unknown,
  matches: string | undefined,
): string | undefined {
  const value = matches
    ? (formData as Record<string, unknown> | undefined)?.[matches]
    : undefined;
  if (typeof value !== 'string' || !value) {
    return undefined;
  }
  if (value.includes(':') || value.includes('/')) {
    try {
      return parseEntityRef(value).name;
    } catch {
      return value;
    }
  }
  return value;
}

function matchesOption(uiSchema: unknown): string | undefined {
  const options = (uiSchema as { 'ui:options'?: TypedConfirmationUiOptions })?.[
    'ui:options'
  ];
  return typeof options?.matches === 'string' ? options.matches : undefined;
}

/**
 * A text box where a person types the name of what a real operation will
 * change, as GitHub asks before deleting a repository: the one step between
 * "Review" and a production change that cannot be done by reflex.
 */
export function TypedConfirmation(
  props: FieldExtensionComponentProps<
    string | undefined,
    TypedConfirmationUiOptions
  >,
) {
  const { onChange, rawErrors, required, formData, uiSchema, formContext } =
    props;
  const expected = expectedConfirmation(
    (formContext as { formData?: unknown } | undefined)?.formData,
    matchesOption(uiSchema),
  );
  const label = expected
    ? `Type ${expected} to confirm`
    : props.schema.title ?? 'Type the name to confirm';
  return (
    <TextField
      id={props.idSchema?.$id ?? 'ops-typed-confirmation'}
      fullWidth
      margin="normal"
      label={label}
      required={required}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value || undefined)}
      error={Boolean(rawErrors?.length)}
      helperText={
        props.schema.description ??
        'This is not a dry run: it changes a production system.'
      }
      inputProps={{ autoComplete: 'off', spellCheck: false }}
    />
  );
}

/** Refuses anything but the exact name, before the task runs. */
export const validateTypedConfirmation: CustomFieldValidator<
  string | undefined
> = (typed, validation, { formData, uiSchema }) => {
  const expected = expectedConfirmation(formData, matchesOption(uiSchema));
  if (!expected) {
    validation.addError(
      'Choose what to change first: there is no name to confirm yet',
    );
    return;
  }
  if ((typed ?? '').trim() !== expected) {
    validation.addError(
      `Type ${expected} exactly to confirm; you typed "${typed ?? ''}"`,
    );
  }
};
