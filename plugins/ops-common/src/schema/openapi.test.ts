import { RECORD_LIMITS, SEVERITY_ID_PATTERN } from '../limits';
import { ROLLOUT_STATES } from '../dora/history';
import {
  CHANGE_FAILURE_RATE_BUCKETS,
  DEPLOYMENT_FREQUENCY_BUCKETS,
  DEPLOYMENT_STATUSES,
  DURATION_BUCKETS,
} from '../dora/types';
import { ONCALL_LEVELS, ONCALL_STATES } from '../oncall/types';
import { ACTION_ITEM_STATUSES, POSTMORTEM_STATUSES } from '../postmortems';
import { READINESS_STATUSES } from '../readiness';
import {
  APPENDABLE_INCIDENT_EVENT_TYPES,
  DRILL_KINDS,
  DRILL_STATUSES,
  DRILL_STEP_STATUSES,
  INCIDENT_EVENT_TYPES,
  INCIDENT_STATUSES,
} from '../records';
import { opsApiSpec } from './openapi';

type Json = unknown;

/** Every `enum` of the document, with the JSON path where it is. */
function enumsOf(node: Json, at = '$'): { at: string; values: unknown[] }[] {
  if (Array.isArray(node)) {
    return node.flatMap((item, i) => enumsOf(item, `${at}[${i}]`));
  }
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) =>
      key === 'enum' && Array.isArray(value)
        ? [{ at, values: value }]
        : enumsOf(value, `${at}.${key}`),
    );
  }
  return [];
}

function parameter(path: keyof typeof opsApiSpec.paths, name: string) {
  const operation = (opsApiSpec.paths[path] as any).get;
  return operation.parameters.find((p: { name: string }) => p.name === name);
}

function body(path: keyof typeof opsApiSpec.paths, method: string) {
  return (opsApiSpec.paths[path] as any)[method].requestBody.content[
    'application/json'
  ].schema;
}

describe('opsApiSpec', () => {
  const spec = JSON.parse(JSON.stringify(opsApiSpec));

  it('takes every enum from the constants of ops-common', () => {
    const constants = [
      INCIDENT_STATUSES,
      INCIDENT_EVENT_TYPES,
      APPENDABLE_INCIDENT_EVENT_TYPES,
      DRILL_KINDS,
      DRILL_STATUSES,
      DRILL_STEP_STATUSES,
      DEPLOYMENT_STATUSES,
      ONCALL_LEVELS,
      READINESS_STATUSES,
      ONCALL_STATES,
      ROLLOUT_STATES,
      DEPLOYMENT_FREQUENCY_BUCKETS,
      DURATION_BUCKETS,
      CHANGE_FAILURE_RATE_BUCKETS,
      POSTMORTEM_STATUSES,
      ACTION_ITEM_STATUSES,
    ].map(values => JSON.stringify(values));
    // Alertmanager's own values (its payload version, alert states) and the
    // webhook's report of what it did are not OpsDeck records.
    const alertmanager = /\$\.paths\.\/alerts\/alertmanager\./;
    const strays = enumsOf(spec).filter(
      e =>
        !alertmanager.test(e.at) &&
        !constants.includes(JSON.stringify(e.values)),
    );
    expect(strays).toEqual([]);
  });

  it('has the enums of the records where a client sends them', () => {
    const status = parameter('/incidents', 'status').schema.oneOf;
    expect(status[0].enum).toEqual(INCIDENT_STATUSES);
    expect(status[1].items.enum).toEqual(INCIDENT_STATUSES);
    expect(body('/incidents', 'post').properties.status.enum).toEqual(
      INCIDENT_STATUSES,
    );
    expect(body('/incidents/{id}/events', 'post').properties.type.enum).toEqual(
      APPENDABLE_INCIDENT_EVENT_TYPES,
    );
    expect(parameter('/drills', 'kind').schema.oneOf[0].enum).toEqual(
      DRILL_KINDS,
    );
    expect(parameter('/drills', 'status').schema.oneOf[1].items.enum).toEqual(
      DRILL_STATUSES,
    );
    expect(body('/drills/{id}', 'patch').properties.status.enum).toEqual(
      DRILL_STATUSES,
    );
    expect(
      body('/drills/{id}/steps/{name}', 'put').properties.status.enum,
    ).toEqual(DRILL_STEP_STATUSES);
    expect(body('/deployments', 'post').properties.status.enum).toEqual(
      DEPLOYMENT_STATUSES,
    );
    expect(body('/oncall/overrides', 'post').properties.level.enum).toEqual(
      ONCALL_LEVELS,
    );
  });

  it('checks severity ids with the one pattern', () => {
    expect(body('/incidents', 'post').properties.severity.pattern).toBe(
      SEVERITY_ID_PATTERN.source,
    );
    expect(SEVERITY_ID_PATTERN.test('SEV1')).toBe(true);
    expect(SEVERITY_ID_PATTERN.test('x'.repeat(33))).toBe(false);
  });

  it('accepts exactly the page sizes 1 to RECORD_LIMITS.maxPageSize', () => {
    const limit = new RegExp(parameter('/incidents', 'limit').schema.pattern);
    const accepted = Array.from({ length: 1000 }, (_, i) => i).filter(n =>
      limit.test(String(n)),
    );
    expect(accepted).toEqual(
      Array.from({ length: RECORD_LIMITS.maxPageSize }, (_, i) => i + 1),
    );
    expect(limit.test('050')).toBe(false);
  });

  it('takes the record limits from RECORD_LIMITS', () => {
    const patch = body('/drills/{id}', 'patch').properties;
    expect(patch.report.maxLength).toBe(RECORD_LIMITS.reportLength);
    expect(patch.rtoSeconds.maximum).toBe(RECORD_LIMITS.maxSeconds);
    expect(patch.verification.maxItems).toBe(RECORD_LIMITS.verificationItems);
    const incident = body('/incidents', 'post').properties;
    expect(incident.title.maxLength).toBe(RECORD_LIMITS.titleLength);
    expect(incident.summary.maxLength).toBe(RECORD_LIMITS.textLength);
    expect(incident.labels.maxProperties).toBe(RECORD_LIMITS.labels);
  });
});
