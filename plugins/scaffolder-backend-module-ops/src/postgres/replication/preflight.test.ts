import { chooseCandidate, judgePreflight, ServerState } from './preflight';

const limits = { maxReplayLagSeconds: 60, maxReplayLagBytes: 16 * 1024 * 1024 };

const primary: ServerState = {
  address: 'db-1:5432',
  reachable: true,
  inRecovery: false,
  currentLsn: '0/5000000',
  timeline: 1,
};

function replica(overrides: Partial<ServerState> = {}): ServerState {
  return {
    address: 'db-2:5432',
    reachable: true,
    inRecovery: true,
    receivedLsn: '0/5000000',
    replayedLsn: '0/5000000',
    replayPaused: false,
    replayLagSeconds: 0,
    receiverStatus: 'streaming',
    timeline: 1,
    ...overrides,
  };
}

function failed(result: ReturnType<typeof judgePreflight>) {
  return result.checks.filter(c => !c.passed).map(c => [c.name, c.detail]);
}

describe('chooseCandidate', () => {
  it('takes the replica that received the most WAL, then the one that replayed the most', () => {
    expect(
      chooseCandidate([
        replica({
          address: 'a',
          receivedLsn: '0/4000000',
          replayedLsn: '0/4000000',
        }),
        replica({
          address: 'b',
          receivedLsn: '0/5000000',
          replayedLsn: '0/3000000',
        }),
        replica({
          address: 'c',
          receivedLsn: '0/5000000',
          replayedLsn: '0/4800000',
        }),
      ]),
    ).toBe(2);
  });

  it('compares positions as numbers, not as text', () => {
    expect(
      chooseCandidate([
        replica({ receivedLsn: '0/9FFFFFF' }),
        replica({ receivedLsn: '0/A000000' }),
      ]),
    ).toBe(1);
  });

  it('skips replicas that are unreachable or not in recovery', () => {
    expect(
      chooseCandidate([
        replica({ reachable: false, receivedLsn: undefined }),
        replica({ inRecovery: false, receivedLsn: '1/0' }),
        replica({ receivedLsn: '0/1' }),
      ]),
    ).toBe(2);
    expect(chooseCandidate([replica({ reachable: false })])).toBeUndefined();
  });
});

describe('judgePreflight', () => {
  it('passes a streaming replica that is caught up with the primary', () => {
    const result = judgePreflight({ primary, replicas: [replica()], limits });
    expect(failed(result)).toEqual([]);
    expect(result).toEqual(
      expect.objectContaining({
        candidate: 0,
        primaryReachable: true,
        passed: true,
        blocked: false,
      }),
    );
  });

  it('fails, overridably, on paused replay and on lag over the limits', () => {
    const result = judgePreflight({
      primary: { ...primary, currentLsn: '0/7000000' },
      replicas: [
        replica({
          receivedLsn: '0/7000000',
          replayedLsn: '0/5000000',
          replayPaused: true,
          replayLagSeconds: 95.2,
        }),
      ],
      limits,
    });
    // 0x2000000 bytes = 32 MiB behind the primary.
    expect(failed(result)).toEqual([
      [
        'replay not paused',
        'WAL replay is paused (pg_wal_replay_pause()); resume it with pg_wal_replay_resume()',
      ],
      ['replay lag (time)', '1m 35s (limit 1m)'],
      ['replay lag (bytes)', '32.0 MiB behind the primary (limit 16.0 MiB)'],
    ]);
    expect(result.passed).toBe(false);
    expect(result.blocked).toBe(false);
  });

  it('measures lag exactly at the limit as within it', () => {
    const result = judgePreflight({
      primary: { ...primary, currentLsn: '0/6000000' },
      replicas: [replica({ replayedLsn: '0/5000000', replayLagSeconds: 60 })],
      limits,
    });
    // 0x1000000 = 16 MiB, the limit.
    expect(failed(result)).toEqual([]);
  });

  it('fails when the replica does not stream from this primary or follows another timeline', () => {
    const result = judgePreflight({
      primary: { ...primary, timeline: 3 },
      replicas: [replica({ receiverStatus: 'waiting', timeline: 2 })],
      limits,
    });
    expect(failed(result)).toEqual([
      ['WAL receiver streaming', 'pg_stat_wal_receiver: waiting'],
      [
        'timeline',
        'the replica is on timeline 2, the primary on 3: it does not follow this primary',
      ],
    ]);
  });

  it('accepts a replica that cannot stream because the old primary is gone, measuring lag against what it received', () => {
    const result = judgePreflight({
      primary: {
        address: 'db-1:5432',
        reachable: false,
        error: 'connect ECONNREFUSED',
      },
      replicas: [
        replica({
          receiverStatus: undefined,
          receivedLsn: '0/5000100',
          replayedLsn: '0/5000000',
          replayLagSeconds: 2,
        }),
      ],
      limits,
    });
    expect(failed(result)).toEqual([]);
    expect(result.primaryReachable).toBe(false);
    expect(
      result.checks.find(c => c.name === 'replay lag (bytes)')?.detail,
    ).toBe('256 B behind the received WAL (limit 16.0 MiB)');
  });

  it('blocks, beyond force, when there is nothing to promote or the primary is not one', () => {
    const nothing = judgePreflight({
      primary,
      replicas: [replica({ inRecovery: false })],
      limits,
    });
    expect(nothing.candidate).toBeUndefined();
    expect(nothing.blocked).toBe(true);
    expect(
      judgePreflight({
        primary,
        replicas: [replica({ reachable: false, error: 'timeout' })],
        requested: 0,
        limits,
      }),
    ).toEqual(expect.objectContaining({ candidate: 0, blocked: true }));
    const notPrimary = judgePreflight({
      primary: { ...primary, inRecovery: true },
      replicas: [replica()],
      limits,
    });
    expect(notPrimary.blocked).toBe(true);
    expect(failed(notPrimary)[0][1]).toContain('is in recovery, not a primary');
  });

  it('judges the replica the user named, not the most advanced one', () => {
    const result = judgePreflight({
      primary,
      replicas: [
        replica(),
        replica({ address: 'db-3:5432', replayLagSeconds: 300 }),
      ],
      requested: 1,
      limits,
    });
    expect(result.candidate).toBe(1);
    expect(failed(result)).toEqual([['replay lag (time)', '5m (limit 1m)']]);
  });

  it('judges a replica that has replayed no transaction yet by its byte lag', () => {
    // A fresh replica of an idle primary: no commit time to compare, and
    // nothing to replay but the rest of a WAL page.
    const fresh = judgePreflight({
      primary: { ...primary, currentLsn: '0/8032000' },
      replicas: [
        replica({
          receivedLsn: '0/8032000',
          replayedLsn: '0/8031FE0',
          replayLagSeconds: undefined,
        }),
      ],
      limits,
    });
    expect(fresh.passed).toBe(true);
    expect(
      fresh.checks.find(check => check.name === 'replay lag (time)')?.detail,
    ).toBe(
      'unknown: the replica has replayed no transaction since it started; judged by the byte lag, which is within its limit',
    );

    const behind = judgePreflight({
      primary: { ...primary, currentLsn: '0/9000000' },
      replicas: [
        replica({ replayedLsn: '0/5000000', replayLagSeconds: undefined }),
      ],
      limits,
    });
    expect(failed(behind)).toEqual([
      [
        'replay lag (time)',
        'unknown: the replica has replayed no transaction since it started; and the byte lag is not within its limit',
      ],
      ['replay lag (bytes)', '64.0 MiB behind the primary (limit 16.0 MiB)'],
    ]);
  });
});
