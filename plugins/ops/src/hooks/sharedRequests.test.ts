import { freshAnswer, sharedRequest } from './sharedRequests';

describe('sharedRequest', () => {
  it('makes one request for readers that ask while it runs or while it is fresh', async () => {
    const owner = {};
    const load = jest.fn(async () => 'report');
    const first = sharedRequest(owner, 'slos:a', load, { maxAgeMs: 60_000 });
    const second = sharedRequest(owner, 'slos:a', load, { maxAgeMs: 60_000 });
    expect(await first.promise).toBe('report');
    expect(await second.promise).toBe('report');
    sharedRequest(owner, 'slos:a', load, { maxAgeMs: 60_000 });
    expect(load).toHaveBeenCalledTimes(1);
    expect(freshAnswer(owner, 'slos:a', 60_000)).toEqual({ value: 'report' });
  });

  it('asks again when forced, when the answer is too old, or for another owner', async () => {
    const owner = {};
    const load = jest.fn(async () => 'report');
    await sharedRequest(owner, 'k', load, { maxAgeMs: 60_000 }).promise;
    await sharedRequest(owner, 'k', load, { maxAgeMs: 60_000, force: true })
      .promise;
    await sharedRequest(owner, 'k', load, { maxAgeMs: -1 }).promise;
    await sharedRequest({}, 'k', load, { maxAgeMs: 60_000 }).promise;
    expect(load).toHaveBeenCalledTimes(4);
    expect(freshAnswer(owner, 'k', -1)).toBeUndefined();
  });

  it('keeps no failed answer: the next reader tries again', async () => {
    const owner = {};
    const failing = jest.fn(async () => {
      throw new Error('Prometheus is down');
    });
    await expect(
      sharedRequest(owner, 'k', failing, { maxAgeMs: 60_000 }).promise,
    ).rejects.toThrow('Prometheus is down');
    expect(freshAnswer(owner, 'k', 60_000)).toBeUndefined();
    const load = jest.fn(async () => 'report');
    expect(
      await sharedRequest(owner, 'k', load, { maxAgeMs: 60_000 }).promise,
    ).toBe('report');
  });
});
