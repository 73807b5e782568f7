// The state of a fake Slack workspace and the Web API methods the
// notifications module calls, with Slack's answers
// (https://docs.slack.dev/reference/methods): chat.postMessage, chat.update,
// users.lookupByEmail and auth.test. Errors are Slack's own `{ ok: false,
// error }` codes, so the real @slack/web-api client reacts as it does against
// slack.com (it rejects with "An API error occurred: channel_not_found").

export interface FakeSlackChannel {
  /** Slack's channel ID, e.g. C0PAYMENTS. */
  id: string;
  /** The name without '#', e.g. payments-oncall. */
  name: string;
}

export interface FakeSlackUser {
  /** Slack's user ID, e.g. U0PRIYA. */
  id: string;
  name: string;
  email: string;
}

/** A message as the channel shows it now (after any chat.update). */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text?: string;
  username?: string;
  attachments?: unknown[];
  blocks?: unknown[];
  /** How many times chat.update replaced it. */
  edits: number;
}

/** One Web API call as the fake received it, in order of arrival. */
export interface FakeSlackCall {
  method: string;
  at: string;
  args: Record<string, unknown>;
  response: Record<string, unknown>;
}

export type SlackArgs = Record<string, unknown>;
type SlackAnswer = Record<string, unknown>;

const BOT = {
  user_id: 'U0OPSDECK',
  bot_id: 'B0OPSDECK',
  team_id: 'T0OPSDECK',
};

export class SlackWorkspace {
  readonly calls: FakeSlackCall[] = [];
  readonly messages: FakeSlackMessage[] = [];
  readonly #channels: FakeSlackChannel[];
  readonly #users: FakeSlackUser[];
  #lastTs = 0;

  constructor(options: {
    channels: FakeSlackChannel[];
    users?: FakeSlackUser[];
  }) {
    this.#channels = options.channels;
    this.#users = options.users ?? [];
  }

  /** Runs one Web API method and records the call with its answer. */
  call(method: string, args: SlackArgs): SlackAnswer {
    const response = this.#answer(method, args);
    this.calls.push({ method, at: new Date().toISOString(), args, response });
    return response;
  }

  /** The messages of one channel (ID or name, '#' optional), oldest first. */
  channelMessages(channel: string): FakeSlackMessage[] {
    const id = this.#channelId(channel);
    return this.messages.filter(m => m.channel === id);
  }

  #answer(method: string, args: SlackArgs): SlackAnswer {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://opsdeck-demo.slack.com/',
          team: 'OpsDeck demo',
          user: 'opsdeck',
          ...BOT,
        };
      case 'chat.postMessage':
        return this.#postMessage(args);
      case 'chat.update':
        return this.#update(args);
      case 'users.lookupByEmail':
        return this.#lookupByEmail(args);
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  #postMessage(args: SlackArgs): SlackAnswer {
    const channel = this.#channelId(String(args.channel ?? ''));
    if (!channel) {
      return { ok: false, error: 'channel_not_found' };
    }
    if (!args.text && !args.blocks && !args.attachments) {
      return { ok: false, error: 'no_text' };
    }
    const message: FakeSlackMessage = {
      channel,
      ts: this.#nextTs(),
      ...content(args),
      username: optionalString(args.username),
      edits: 0,
    };
    this.messages.push(message);
    return { ok: true, channel, ts: message.ts, message: asSlack(message) };
  }

  #update(args: SlackArgs): SlackAnswer {
    const channel = this.#channelId(String(args.channel ?? ''));
    if (!channel) {
      return { ok: false, error: 'channel_not_found' };
    }
    const message = this.messages.find(
      m => m.channel === channel && m.ts === args.ts,
    );
    if (!message) {
      return { ok: false, error: 'message_not_found' };
    }
    Object.assign(message, content(args), { edits: message.edits + 1 });
    return {
      ok: true,
      channel,
      ts: message.ts,
      text: message.text,
      message: asSlack(message),
    };
  }

  #lookupByEmail(args: SlackArgs): SlackAnswer {
    const email = String(args.email ?? '').toLowerCase();
    const user = this.#users.find(u => u.email.toLowerCase() === email);
    if (!user) {
      return { ok: false, error: 'users_not_found' };
    }
    return {
      ok: true,
      user: {
        id: user.id,
        team_id: BOT.team_id,
        name: user.email.split('@')[0],
        real_name: user.name,
        profile: { email: user.email, real_name: user.name },
      },
    };
  }

  /**
   * A channel ID for what chat.postMessage accepts: a channel ID, a channel
   * name with or without '#', or a user ID (a direct message, as Slack opens
   * one for the bot). Undefined when Slack would answer channel_not_found.
   */
  #channelId(channel: string): string | undefined {
    const name = channel.replace(/^#/, '');
    const found = this.#channels.find(c => c.id === name || c.name === name);
    if (found) {
      return found.id;
    }
    const user = this.#users.find(u => u.id === channel);
    return user ? `D${user.id.slice(1)}` : undefined;
  }

  /** Slack's message timestamps: unique per channel and increasing. */
  #nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.#lastTs + 1);
    this.#lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(
      6,
      '0',
    )}`;
  }
}

/** The mrkdwn and plain texts of the message's blocks, as Slack shows them. */
export function bodyText(message: FakeSlackMessage): string {
  const blocks = [
    ...(message.blocks ?? []),
    ...(message.attachments ?? []).flatMap(
      a => (a as { blocks?: unknown[] }).blocks ?? [],
    ),
  ];
  return blocks.flatMap(blockTexts).join('\n');
}

function blockTexts(block: unknown): string[] {
  const { text, elements } = block as {
    text?: { text?: string };
    elements?: Array<{ text?: string }>;
  };
  return [
    ...(text?.text ? [text.text] : []),
    ...(elements ?? []).flatMap(e => (e.text ? [e.text] : [])),
  ];
}

function content(args: SlackArgs) {
  return {
    text: optionalString(args.text),
    attachments: optionalArray(args.attachments),
    blocks: optionalArray(args.blocks),
  };
}

function asSlack(message: FakeSlackMessage) {
  return {
    type: 'message',
    user: BOT.user_id,
    bot_id: BOT.bot_id,
    ts: message.ts,
    text: message.text ?? '',
    ...(message.username && { username: message.username }),
    ...(message.attachments && { attachments: message.attachments }),
    ...(message.blocks && { blocks: message.blocks }),
  };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function optionalArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}
