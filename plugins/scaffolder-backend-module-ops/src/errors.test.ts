import { messageOf } from './errors';

describe('messageOf', () => {
  it('names the reason kept in the cause, as Node’s fetch keeps it', () => {
    const refused = new TypeError('fetch failed', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:8008'),
    });
    expect(messageOf(refused)).toBe(
      'fetch failed (connect ECONNREFUSED 127.0.0.1:8008)',
    );
  });

  it('gives an error’s own message when it has no cause', () => {
    expect(messageOf(new Error('relation "orders" does not exist'))).toBe(
      'relation "orders" does not exist',
    );
  });

  it('gives what was thrown when it is not an Error', () => {
    expect(messageOf('timed out')).toBe('timed out');
  });
});
