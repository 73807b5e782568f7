import { OPSDECK_ANNOTATIONS } from '../annotations';

/**
 * Reads the `opsdeck.dev/databases` annotation: the names of the service's
 * database targets (configured by the platform team under `ops.databases`),
 * comma or whitespace separated, in order, each once. The one reading of the
 * annotation: the template's target picker offers exactly the names the
 * scaffolder actions accept.
 *
 * @public
 */
export function parseDatabasesAnnotation(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? '')
        .split(/[\s,]+/)
        .map(name => name.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * The database targets an entity names in its `opsdeck.dev/databases`
 * annotation (see `parseDatabasesAnnotation`).
 *
 * @public
 */
export function databaseTargetsOf(entity: {
  metadata: { annotations?: Record<string, string> };
}): string[] {
  return parseDatabasesAnnotation(
    entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.databases],
  );
}
