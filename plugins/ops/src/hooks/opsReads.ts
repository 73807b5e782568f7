import {
  OnCallStatus,
  SeverityLevel,
  SloReport,
} from '@opsdeck/plugin-ops-common';
import { useSharedOpsRequest } from './useSharedOpsRequest';

/**
 * The reads more than one card or tab makes, each with how long an answer
 * may be shown again without asking: as long as the backend caches it
 * (SLOs: 15 s) or, for who is on call, a span in which a shift change shown
 * late by seconds misleads nobody; the severity levels are configuration,
 * which changes with a backend restart only.
 */
export const SHARED_READ_MAX_AGE_MS = {
  slos: 15_000,
  onCall: 15_000,
  severities: 10 * 60_000,
};

/** The entity's SLO report (SLO card, Overview summary, SLOs tab). */
export function useEntitySloReport(
  entityRef: string,
  options: { reloadKey?: unknown } = {},
) {
  return useSharedOpsRequest<SloReport>(
    `slos:${entityRef}`,
    api => api.getSlos({ entityRef }),
    { maxAgeMs: SHARED_READ_MAX_AGE_MS.slos, ...options },
  );
}

/** Who is on call for the entity (On call card, Overview summary). */
export function useEntityOnCall(
  entityRef: string,
  options: { reloadKey?: unknown } = {},
) {
  return useSharedOpsRequest<OnCallStatus>(
    `oncall:${entityRef}`,
    api => api.getOnCall({ entityRef }),
    { maxAgeMs: SHARED_READ_MAX_AGE_MS.onCall, ...options },
  );
}

/** The configured severity levels, most severe first. */
export function useSeverityLevels() {
  return useSharedOpsRequest<SeverityLevel[]>(
    'severities',
    async api => (await api.getSeverities()).items,
    { maxAgeMs: SHARED_READ_MAX_AGE_MS.severities },
  );
}
