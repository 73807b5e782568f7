/**
 * The message of anything thrown, for a report or a step's failure. Node's
 * fetch hides the reason (a refused connection, a DNS failure) in the cause
 * of a bare "fetch failed", so a cause that is an Error is named too.
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error
      ? `${error.message} (${cause.message})`
      : error.message;
  }
  return String(error);
}
