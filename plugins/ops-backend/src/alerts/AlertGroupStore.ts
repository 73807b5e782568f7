/** Alert fingerprint to its last known status. */
export type AlertStates = Record<string, 'firing' | 'resolved'>;

export interface AlertGroup {
  key: string;
  incidentId?: string;
  alerts: AlertStates;
}

/**
 * Which incident an Alertmanager group opened. The primary key (a hash of
 * the group key and the entity) is the lock: of concurrent deliveries of a
 * new group, exactly one claims it and opens the incident.
 */
export interface AlertGroupStore {
  get(key: string): Promise<AlertGroup | undefined>;

  /**
   * Claims a group nobody has opened an incident for; false when another
   * delivery holds it already.
   */
  claim(
    key: string,
    fields: { groupKey: string; entityRef: string },
  ): Promise<boolean>;

  /** Gives up a claim that did not lead to an incident. */
  release(key: string): Promise<void>;

  /**
   * Forgets the group's closed incident, so that the group's next firing
   * opens a new one; only if it still points at `incidentId`.
   */
  forget(key: string, incidentId: string): Promise<void>;

  setIncident(
    key: string,
    incidentId: string,
    alerts: AlertStates,
  ): Promise<void>;

  /**
   * Merges the statuses of a delivery into the stored ones, under a row
   * lock so that concurrent deliveries see each other's changes; returns
   * the statuses before and after.
   */
  mergeAlerts(
    key: string,
    update: AlertStates,
  ): Promise<{ before: AlertStates; after: AlertStates }>;
}
