import { ConfigReader } from '@backstage/config';
import { readHaSettings } from './config';

const KEY = 'ops.databases.orders-db.failover.ha';
const members = [
  { name: 'orders-1', url: 'http://127.0.0.1:8008/' },
  { name: 'orders-2', url: 'https://orders-2.internal:8008' },
];

function read(ha: object) {
  return readHaSettings(new ConfigReader(ha), KEY);
}

describe('readHaSettings', () => {
  it('reads members, credentials env names and the timeout', () => {
    expect(
      read({
        type: 'patroni',
        members,
        usernameEnv: 'PATRONI_API_USER',
        passwordEnv: 'PATRONI_API_PASSWORD',
        timeout: '90s',
      }),
    ).toEqual({
      type: 'patroni',
      members: [
        { name: 'orders-1', url: 'http://127.0.0.1:8008' },
        { name: 'orders-2', url: 'https://orders-2.internal:8008' },
      ],
      usernameEnv: 'PATRONI_API_USER',
      passwordEnv: 'PATRONI_API_PASSWORD',
      timeoutSeconds: 90,
    });
    expect(readHaSettings(undefined, KEY)).toBeUndefined();
    expect(read({ type: 'patroni', members })?.timeoutSeconds).toBe(60);
  });

  it.each([
    [
      { type: 'repmgr', members },
      `${KEY}.type: 'repmgr' is not a supported HA manager`,
    ],
    [
      { type: 'patroni', members: [members[0]] },
      `${KEY}.members: list at least two`,
    ],
    [
      {
        type: 'patroni',
        members: [members[0], { ...members[1], name: 'orders-1' }],
      },
      `${KEY}.members[1].name: 'orders-1' is listed twice`,
    ],
    [
      {
        type: 'patroni',
        members: [members[0], { name: 'orders-2', url: 'ftp://x:8008' }],
      },
      `${KEY}.members[1].url: 'ftp://x:8008' is not an http(s) URL`,
    ],
    [
      {
        type: 'patroni',
        members: [members[0], { name: 'orders-2', url: 'http://u:p@x:8008' }],
      },
      `${KEY}.members[1].url: must not hold credentials`,
    ],
    [
      {
        type: 'patroni',
        members: [{ name: 'orders 1', url: 'http://x:8008' }, members[1]],
      },
      `${KEY}.members[0].name: 'orders 1' is not a Patroni member name`,
    ],
    [
      { type: 'patroni', members, usernameEnv: 'PATRONI_API_USER' },
      `${KEY}.passwordEnv: basic auth needs both`,
    ],
    [
      { type: 'patroni', members, usernameEnv: 'not-a-name', passwordEnv: 'P' },
      `${KEY}.usernameEnv: 'not-a-name' is not an environment variable name`,
    ],
    [{ type: 'patroni', members, timeout: 'soon' }, `${KEY}.timeout:`],
  ])('refuses %j naming the key', (ha, message) => {
    expect(() => read(ha)).toThrow(`Invalid configuration ${message}`);
  });
});
