import { InputError } from '@backstage/errors';
import { RECORD_LIMITS } from '@opsdeck/plugin-ops-common';

/**
 * Refuses the structured data of a timeline entry that is nested deeper than
 * `RECORD_LIMITS.eventDataDepth` or larger than `RECORD_LIMITS.eventDataBytes`
 * as JSON. The depth is checked first and without recursion past the limit,
 * so ten thousand levels cost as little as nine (and never overflow the stack
 * in `JSON.stringify`).
 */
export function checkEventData(data: unknown) {
  if (data === undefined) {
    return;
  }
  const maxDepth = RECORD_LIMITS.eventDataDepth;
  let level: unknown[] = [data];
  for (let depth = 1; level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const value of level) {
      if (value !== null && typeof value === 'object') {
        if (depth > maxDepth) {
          throw new InputError(
            `Invalid data: it is nested deeper than ${maxDepth} levels`,
          );
        }
        next.push(...Object.values(value));
        if (next.length > RECORD_LIMITS.eventDataBytes) {
          // more values than bytes allowed: too large whatever their depth
          throw tooLarge();
        }
      }
    }
    level = next;
  }
  if (
    Buffer.byteLength(JSON.stringify(data), 'utf8') >
    RECORD_LIMITS.eventDataBytes
  ) {
    throw tooLarge();
  }
}

function tooLarge() {
  return new InputError(
    `Invalid data: it is larger than ${RECORD_LIMITS.eventDataBytes} bytes as JSON`,
  );
}
