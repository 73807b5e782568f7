import { OpsApi } from '../api';
import {
  answeredRead,
  entityRead,
  forgetShownRead,
  readEntity,
  STARTED_READ_MAX_AGE_MS,
  startEntityReads,
} from './startedReads';

const opsApi = () => ({} as OpsApi);

describe('started reads', () => {
  afterEach(() => jest.useRealTimers());

  it('gives a card the request the tab started, once; a reload asks again', async () => {
    const api = opsApi();
    const load = jest.fn(async (_: OpsApi, entityRef: string) => [entityRef]);
    const read = entityRead('drills-card', load);
    startEntityReads(api, 'component:default/a', [read]);
    startEntityReads(api, 'component:default/a', [read]);
    expect(load).toHaveBeenCalledTimes(1);

    expect(await readEntity(api, read, 'component:default/a')).toEqual([
      'component:default/a',
    ]);
    expect(load).toHaveBeenCalledTimes(1);
    await readEntity(api, read, 'component:default/a');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps the requests of each entity and each app apart', async () => {
    const load = jest.fn(async (_: OpsApi, entityRef: string) => entityRef);
    const read = entityRead('dora-card', load);
    const api = opsApi();
    startEntityReads(api, 'component:default/a', [read]);
    expect(await readEntity(api, read, 'component:default/b')).toBe(
      'component:default/b',
    );
    expect(await readEntity(opsApi(), read, 'component:default/a')).toBe(
      'component:default/a',
    );
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('drops a request no card took in time, and hands a failure to the card', async () => {
    jest.useFakeTimers({ now: 0 });
    const api = opsApi();
    const load = jest.fn(async () => 'fresh');
    const read = entityRead('readiness-card', load);
    startEntityReads(api, 'component:default/a', [read]);
    jest.setSystemTime(STARTED_READ_MAX_AGE_MS + 1);
    await readEntity(api, read, 'component:default/a');
    expect(load).toHaveBeenCalledTimes(2);

    const failing = entityRead('incidents-card', async () => {
      throw new Error('backend unavailable');
    });
    startEntityReads(api, 'component:default/a', [failing]);
    await expect(
      readEntity(api, failing, 'component:default/a'),
    ).rejects.toThrow('backend unavailable');
  });

  it('shows an answered request to a card, which then asks anew', async () => {
    const api = opsApi();
    const load = jest.fn(async () => 'answer');
    const read = entityRead('dora-card', load);
    startEntityReads(api, 'component:default/a', [read]);
    expect(answeredRead(api, read, 'component:default/a')).toBeUndefined();
    await Promise.resolve();
    await Promise.resolve();
    expect(answeredRead(api, read, 'component:default/a')).toEqual({
      value: 'answer',
    });
    // React may render the card twice: the same answer both times.
    expect(answeredRead(api, read, 'component:default/a')).toEqual({
      value: 'answer',
    });
    await readEntity(api, read, 'component:default/a');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not show an answer again once a mounted card showed it', async () => {
    const api = opsApi();
    const read = entityRead('drills-card', async () => 'before the drill');
    startEntityReads(api, 'component:default/a', [read]);
    await Promise.resolve();
    await Promise.resolve();
    expect(answeredRead(api, read, 'component:default/a')?.value).toBe(
      'before the drill',
    );
    forgetShownRead(api, read, 'component:default/a');
    // The user comes back to the tab after running a drill.
    expect(answeredRead(api, read, 'component:default/a')).toBeUndefined();
  });
});
