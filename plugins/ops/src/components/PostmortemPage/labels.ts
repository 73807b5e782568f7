import { PostmortemStatus } from '@opsdeck/plugin-ops-common';

export const POSTMORTEM_STATUS_LABELS: Record<PostmortemStatus, string> = {
  draft: 'Draft',
  'in-review': 'In review',
  published: 'Published',
};

/** The button that moves a post-mortem to each status, and what it then says. */
export const POSTMORTEM_TRANSITION_ACTIONS: Record<
  PostmortemStatus,
  { label: string; done: string }
> = {
  'in-review': { label: 'Submit for review', done: 'Submitted for review' },
  draft: { label: 'Back to draft', done: 'Sent back to draft' },
  published: { label: 'Publish', done: 'Published' },
};

/** A calendar day or a time, as a day people read (`3 Dec 2026`). */
export function formatDay(isoDayOrTime: string): string {
  // A bare YYYY-MM-DD is a day in UTC; read it as such, not as local midnight.
  const time =
    isoDayOrTime.length === 10 ? `${isoDayOrTime}T00:00:00Z` : isoDayOrTime;
  return new Date(time).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
