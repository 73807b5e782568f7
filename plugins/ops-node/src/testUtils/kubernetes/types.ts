// The shapes the fake's public API hands to tests, shared by its HTTP layer
// and its controller.

/** @public */
export type KubernetesObject = Record<string, any>;

/**
 * One request the server answered, for assertions on what a client sent.
 *
 * @public
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body?: unknown;
  status: number;
}
