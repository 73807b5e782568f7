import { KubernetesObject } from './types';

// Errors as a real API server sends them: a `Status` object whose `code` is
// the HTTP status, which client libraries and kubectl read.

export function status(
  code: number,
  reason: string,
  message: string,
  details?: KubernetesObject,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** A refusal the HTTP layer sends as its `Status` body. */
export class ApiError extends Error {
  constructor(readonly body: ReturnType<typeof status>) {
    super(body.message);
  }
}
