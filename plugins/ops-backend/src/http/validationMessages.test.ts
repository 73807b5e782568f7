import { plainValidationMessage, undeclaredFields } from './validationMessages';

describe('plainValidationMessage', () => {
  it.each([
    [
      'request/body/title must NOT have more than 200 characters',
      'title must be at most 200 characters',
    ],
    [
      "request/body must have required property 'severity'",
      'severity is required',
    ],
    [
      "request/body/labels must have required property 'team'",
      'labels.team is required',
    ],
    [
      'request/query/entityRef must match pattern "^[^:]+:"',
      'entityRef must match pattern "^[^:]+:"',
    ],
    [
      'request/body/detectedAt must match format "date-time"',
      'detectedAt must be a date and time with a time zone, e.g. 2026-12-02T03:00:00Z',
    ],
    [
      'request/body/status must be equal to one of the allowed values: open, investigating',
      'status must be one of: open, investigating',
    ],
    [
      'request/body must NOT have additional properties',
      'the body has a field the API does not know (additional properties are not allowed)',
    ],
    ['request/body must be object', 'the body must be a JSON object'],
    [
      'request/body/title must NOT have fewer than 1 characters, request/body/summary must NOT have more than 10000 characters',
      'title must be at least 1 characters, summary must be at most 10000 characters',
    ],
  ])('%s → %s', (raw, plain) => {
    expect(plainValidationMessage(raw)).toBe(plain);
  });
});

describe('undeclaredFields', () => {
  const schema = {
    properties: {
      title: {},
      labels: { properties: { team: {} } },
    },
  };

  it('names the fields of the body, or of an object in it, the schema lacks', () => {
    expect(undeclaredFields(schema, { title: 'a', priority: 1 }, '')).toEqual([
      'priority',
    ]);
    expect(
      undeclaredFields(schema, { labels: { team: 'x', tier: 1 } }, '/labels'),
    ).toEqual(['tier']);
  });

  it('names nothing where it cannot tell', () => {
    expect(undeclaredFields(undefined, { a: 1 }, '')).toEqual([]);
    expect(undeclaredFields(schema, 'text', '')).toEqual([]);
    expect(undeclaredFields(schema, { title: 'a' }, '/missing')).toEqual([]);
  });
});
