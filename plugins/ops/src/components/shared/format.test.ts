import { ResponseError } from '@backstage/errors';
import { errorMessage, formatAge, isConflict } from './format';

describe('errorMessage and isConflict', () => {
  async function responseError(status: number, name: string, message: string) {
    return ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name, message },
          response: { statusCode: status },
        }),
        { status, headers: { 'Content-Type': 'application/json' } },
      ),
    );
  }

  it("uses the backend's message rather than the HTTP status", async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'Only the owners may do that',
    );
    expect(errorMessage(error)).toBe('Only the owners may do that');
    expect(isConflict(error)).toBe(false);
  });

  it('recognises a stale version', async () => {
    expect(
      isConflict(await responseError(409, 'ConflictError', 'stale version')),
    ).toBe(true);
    expect(isConflict(new Error('409'))).toBe(false);
  });
});

describe('formatAge', () => {
  it('says how long ago', () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    expect(formatAge(twoHoursAgo)).toBe('2 hours ago');
  });

  it('never says a time is in the future', () => {
    const aheadOfThisClock = new Date(Date.now() + 3_000).toISOString();
    expect(formatAge(aheadOfThisClock)).toBe('just now');
  });
});
