import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

const TABLE = 'ops_notification_claims';

/**
 * "Has this been notified in this window?", decided once across replicas:
 * every replica may run a scheduled check, but only the one whose claim row
 * lands first sends. Claims are taken before sending, so a send that fails
 * is not retried in that window: at most once, never twice.
 */
export class NotificationClaims {
  constructor(private readonly knex: Knex) {}

  /** True for exactly one caller per subject and window start. */
  async claim(subject: string, startOfWindow: Date): Promise<boolean> {
    const key = { subject, window_start: startOfWindow.toISOString() };
    const token = randomUUID();
    await this.knex(TABLE)
      .insert({ ...key, claimed_by: token, claimed_at: new Date() })
      .onConflict(['subject', 'window_start'])
      .ignore();
    // Read back rather than trust the insert's result: drivers report an
    // ignored insert differently, the row's token is the same everywhere.
    const row = await this.knex(TABLE).where(key).first('claimed_by');
    return row?.claimed_by === token;
  }
}

/** The start of the fixed window of `lengthMs` that `at` falls in (from the epoch). */
export function windowStart(at: Date, lengthMs: number): Date {
  return new Date(Math.floor(at.getTime() / lengthMs) * lengthMs);
}
