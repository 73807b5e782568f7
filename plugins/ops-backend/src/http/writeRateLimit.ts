import { HttpAuthService } from '@backstage/backend-plugin-api';
import { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Writes a principal may make per minute when config does not say. */
export const DEFAULT_WRITES_PER_MINUTE = 120;

/**
 * Limits the writes (POST, PATCH, PUT, DELETE) of each principal: a user by
 * its entity ref, a service by its subject. Backstage's `backend.rateLimit`
 * counts per IP and skips loopback, so it cannot tell two callers behind one
 * proxy apart. The counters are in memory: the limit holds per replica.
 *
 * A request over the limit gets 429 with `Retry-After` before its body is
 * read, so nothing is written. Requests without valid credentials pass on
 * to the route, which refuses them.
 */
export function createWriteRateLimit(options: {
  httpAuth: HttpAuthService;
  perMinute: number;
}): RequestHandler {
  const { httpAuth, perMinute } = options;
  const principals = new WeakMap<object, string>();

  async function principalOf(req: Parameters<RequestHandler>[0]) {
    try {
      const { principal } = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      return principal.type === 'user'
        ? `user:${principal.userEntityRef}`
        : `service:${principal.subject}`;
    } catch {
      return undefined;
    }
  }

  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Keyed by principal, never by IP: the IP checks do not apply.
    validate: false,
    skip: async req => {
      if (!WRITE_METHODS.has(req.method)) {
        return true;
      }
      const principal = await principalOf(req);
      if (!principal) {
        return true;
      }
      principals.set(req, principal);
      return false;
    },
    keyGenerator: req => principals.get(req)!,
    handler: (_req, res, _next, { statusCode }) => {
      // The limiter has set Retry-After; the body is Backstage's error shape.
      res.status(statusCode).json({
        error: {
          name: 'TooManyRequestsError',
          message: `Too many writes: at most ${perMinute} a minute per caller; retry after the seconds in Retry-After`,
        },
        response: { statusCode },
      });
    },
  });
}
