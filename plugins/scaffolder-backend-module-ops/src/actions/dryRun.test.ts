import { checkTypedConfirmation, isDryRun, jsonOnce } from './dryRun';

describe('isDryRun', () => {
  it("is the scaffolder's dry run or the dryRun input", () => {
    expect(isDryRun({ isDryRun: true, input: {} })).toBe(true);
    expect(isDryRun({ isDryRun: false, input: { dryRun: true } })).toBe(true);
    expect(isDryRun({ input: { dryRun: false } })).toBe(false);
    expect(isDryRun({ isDryRun: false, input: {} })).toBe(false);
  });
});

describe('jsonOnce', () => {
  it('runs a side effect once and returns its structured result on a retry', async () => {
    const stored = new Map<string, any>();
    const once = jsonOnce(async ({ key, fn }) => {
      if (!stored.has(key)) {
        stored.set(key, await fn());
      }
      return stored.get(key);
    });
    const fn = jest.fn(async () => ({ promotedAt: 'now', timeline: 2 }));
    expect(await once('promote', fn)).toEqual({
      promotedAt: 'now',
      timeline: 2,
    });
    expect(await once('promote', fn)).toEqual({
      promotedAt: 'now',
      timeline: 2,
    });
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('checkTypedConfirmation', () => {
  const real = {
    dryRun: false,
    names: ['payments-db'],
    operation: 'fail over payments-db',
  };

  it('passes the exact name (spaces around it forgiven), a dry run, or no confirmation', () => {
    expect(() =>
      checkTypedConfirmation({ ...real, confirmation: ' payments-db ' }),
    ).not.toThrow();
    expect(() =>
      checkTypedConfirmation({ ...real, dryRun: true, confirmation: 'x' }),
    ).not.toThrow();
    expect(() =>
      checkTypedConfirmation({ ...real, confirmation: undefined }),
    ).not.toThrow();
  });

  it('refuses another name with a 4xx input error saying what to type', () => {
    expect(() =>
      checkTypedConfirmation({ ...real, confirmation: 'payments' }),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message:
          'confirmation: typed "payments", but a real run must confirm "payments-db"; nothing was done (fail over payments-db)',
      }),
    );
  });
});
