// The OpenAPI paths of the SLO endpoints, spread into openapi.ts. Shared
// pieces (the entity ref schema, the standard responses) come from there.

/** An SLO name as ops-common normalizes it: a Prometheus label value. */
const sloName = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
} as const;

export function createSloPaths<
  EntityRef extends object,
  Responses extends object,
>(shared: { entityRef: EntityRef; responses: Responses }) {
  const query = <S extends object>(
    name: string,
    schema: S,
    required: boolean,
  ) =>
    ({
      name,
      in: 'query',
      required,
      // entity refs and times contain ':' and '/'; accept them unencoded too
      allowReserved: true,
      schema,
    } as const);
  const entityRef = query('entityRef', shared.entityRef, true);
  const at = query(
    'at',
    {
      type: 'string',
      format: 'date-time',
      description:
        'Evaluate as of this instant instead of now (for a postmortem, or a test)',
    } as const,
    false,
  );
  return {
    '/slos': {
      get: {
        operationId: 'ListSlos',
        description:
          "The entity's SLOs evaluated on its Prometheus: SLI, error budget, burn rates, alert state. Problems with a document or with Prometheus are returned per SLO, not as an HTTP error.",
        parameters: [entityRef, at],
        responses: shared.responses,
      },
    },
    '/slos/rules': {
      get: {
        operationId: 'GetSloRules',
        description:
          'A Prometheus rule file (recording rules and multi-window multi-burn-rate alerts) for the SLOs of the entity, as YAML',
        parameters: [entityRef],
        responses: shared.responses,
      },
    },
    '/slos/history': {
      get: {
        operationId: 'GetSloHistory',
        description:
          'The remaining error budget of one SLO over its window, from a Prometheus range query',
        parameters: [entityRef, query('slo', sloName, true), at],
        responses: shared.responses,
      },
    },
  } as const;
}
