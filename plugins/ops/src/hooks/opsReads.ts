import {
  OnCallStatus,
  SeverityLevel,
  SloReport,
} from '@opsdeck/plugin-ops-common';
import { OpsApi } from '../api';
import { sharedRequest } from './sharedRequests';
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

/** A read shared through sharedRequest: its key, loader and reuse window. */
type SharedRead<T> = {
  key: string;
  load: (opsApi: OpsApi) => Promise<T>;
  maxAgeMs: number;
};

const sloReportRead = (entityRef: string): SharedRead<SloReport> => ({
  key: `slos:${entityRef}`,
  load: api => api.getSlos({ entityRef }),
  maxAgeMs: SHARED_READ_MAX_AGE_MS.slos,
});

const onCallRead = (entityRef: string): SharedRead<OnCallStatus> => ({
  key: `oncall:${entityRef}`,
  load: api => api.getOnCall({ entityRef }),
  maxAgeMs: SHARED_READ_MAX_AGE_MS.onCall,
});

const severityLevelsRead: SharedRead<SeverityLevel[]> = {
  key: 'severities',
  load: async api => (await api.getSeverities()).items,
  maxAgeMs: SHARED_READ_MAX_AGE_MS.severities,
};

function useSharedRead<T>(
  read: SharedRead<T>,
  options: { reloadKey?: unknown } = {},
) {
  return useSharedOpsRequest<T>(read.key, read.load, {
    maxAgeMs: read.maxAgeMs,
    ...options,
  });
}

/** The entity's SLO report (SLO card, Overview summary, SLOs tab). */
export function useEntitySloReport(
  entityRef: string,
  options: { reloadKey?: unknown } = {},
) {
  return useSharedRead(sloReportRead(entityRef), options);
}

/** Who is on call for the entity (On call card, Overview summary). */
export function useEntityOnCall(
  entityRef: string,
  options: { reloadKey?: unknown } = {},
) {
  return useSharedRead(onCallRead(entityRef), options);
}

/** The configured severity levels, most severe first. */
export function useSeverityLevels() {
  return useSharedRead(severityLevelsRead);
}

/**
 * Starts the shared reads of an entity page's cards (SLO report, on-call
 * status, severity levels) unless they are in flight or fresh; the cards'
 * hooks above then join them. See startEntityReads for why. Settles when
 * they all answered or failed.
 */
export function startSharedReads(
  opsApi: OpsApi,
  entityRef: string,
): Promise<void> {
  const reads = [
    sloReportRead(entityRef),
    onCallRead(entityRef),
    severityLevelsRead,
  ] as SharedRead<unknown>[];
  return Promise.allSettled(
    // A failure is not lost: the card that joins the request shows it.
    reads.map(
      read =>
        sharedRequest(opsApi, read.key, () => read.load(opsApi), {
          maxAgeMs: read.maxAgeMs,
        }).promise,
    ),
  ).then(() => undefined);
}
