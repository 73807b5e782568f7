import { clip, RECORD_LIMITS } from './limits';

describe('clip', () => {
  it('keeps text within the limit and cuts longer text to it', () => {
    expect(clip('restore ok', RECORD_LIMITS.titleLength)).toBe('restore ok');
    const log = 'x'.repeat(RECORD_LIMITS.textLength + 5);
    expect(clip(log, RECORD_LIMITS.textLength)).toHaveLength(10_000);
  });

  it('drops NUL bytes, which the API refuses', () => {
    expect(clip('pg_restore: \u0000done', 100)).toBe('pg_restore: done');
  });
});
