import { FakeSlack, startFakeSlack } from './fakeSlack';

// The fake's wire format, as Slack documents it and as clients other than
// @slack/web-api's form bodies send it: JSON bodies, a token in the body,
// and Slack's error codes for what it refuses.

const TOKEN = 'xoxb-fake-slack-test';

describe('the fake Slack Web API', () => {
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = await startFakeSlack({
      token: TOKEN,
      channels: [{ id: 'C0OPS', name: 'ops' }],
      users: [{ id: 'U0ANA', name: 'Ana Lima', email: 'ana@example.com' }],
    });
  });

  afterAll(() => fake.stop());

  function callJson(method: string, body: object, token = TOKEN) {
    return fetch(`${fake.apiUrl}${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    }).then(r => r.json());
  }

  it('posts and updates with JSON bodies, answering with the channel ID and ts', async () => {
    const posted = await callJson('chat.postMessage', {
      channel: '#ops',
      text: 'first',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'body' } }],
    });
    expect(posted).toMatchObject({
      ok: true,
      channel: 'C0OPS',
      message: { text: 'first' },
    });
    const updated = await callJson('chat.update', {
      channel: 'C0OPS',
      ts: posted.ts,
      text: 'edited',
    });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'edited' });
    expect(fake.channelMessages('ops')).toMatchObject([
      { text: 'edited', edits: 1 },
    ]);
  });

  it('takes a form body with the token in it and attachments as JSON text', async () => {
    const form = new URLSearchParams({
      token: TOKEN,
      channel: 'U0ANA',
      text: 'a direct message',
      attachments: JSON.stringify([{ fallback: 'a direct message' }]),
    });
    const answer = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      body: form,
    }).then(r => r.json());
    expect(answer).toMatchObject({ ok: true, channel: 'D0ANA' });
    expect(fake.channelMessages('U0ANA')[0].attachments).toEqual([
      { fallback: 'a direct message' },
    ]);
  });

  it("answers with Slack's error codes", async () => {
    expect(
      await callJson('chat.postMessage', { channel: 'C0NONE', text: 'x' }),
    ).toEqual({ ok: false, error: 'channel_not_found' });
    expect(await callJson('chat.postMessage', { channel: 'C0OPS' })).toEqual({
      ok: false,
      error: 'no_text',
    });
    expect(
      await callJson('chat.update', { channel: 'C0OPS', ts: '1.000001' }),
    ).toEqual({ ok: false, error: 'message_not_found' });
    expect(
      await callJson('users.lookupByEmail', { email: 'nobody@example.com' }),
    ).toEqual({ ok: false, error: 'users_not_found' });
    expect(
      await callJson('chat.postMessage', { channel: 'C0OPS' }, 'xoxb-wrong'),
    ).toEqual({ ok: false, error: 'invalid_auth' });
    const unauthenticated = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
    }).then(r => r.json());
    expect(unauthenticated).toEqual({ ok: false, error: 'not_authed' });
    const badForm = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      body: new URLSearchParams({ token: TOKEN, attachments: '[{' }),
    }).then(r => r.json());
    expect(badForm).toEqual({ ok: false, error: 'invalid_attachments' });
  });

  it('finds people by email, case-insensitively', async () => {
    expect(
      await callJson('users.lookupByEmail', { email: 'ANA@example.com' }),
    ).toMatchObject({ ok: true, user: { id: 'U0ANA', real_name: 'Ana Lima' } });
  });
});
