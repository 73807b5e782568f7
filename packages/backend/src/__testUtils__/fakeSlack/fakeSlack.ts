import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { receivedPage } from './receivedPage';
import {
  FakeSlackCall,
  FakeSlackChannel,
  FakeSlackMessage,
  FakeSlackUser,
  SlackArgs,
  SlackWorkspace,
} from './slackWorkspace';

// A fake Slack Web API on loopback for the demo and the tests: Slack itself
// cannot be reached from here. It speaks the wire format the real
// @slack/web-api client uses: POST /api/<method> with a form body (objects
// such as attachments JSON-encoded in a field) or a JSON body, the bot token
// as `Authorization: Bearer` (or a `token` field), and answers HTTP 200 with
// `{ ok, ... }`. GET /received and GET / show what it received.

export interface FakeSlack {
  /** Base URL of the Web API, for WebClient's slackApiUrl: http://127.0.0.1:<port>/api/ */
  apiUrl: string;
  /** The page of what was received: http://127.0.0.1:<port>/ */
  url: string;
  /** Every Web API call, in order of arrival. */
  calls: FakeSlackCall[];
  /** The messages of one channel as they stand, oldest first. */
  channelMessages(channel: string): FakeSlackMessage[];
  stop(): Promise<void>;
}

export async function startFakeSlack(options: {
  /** The bot token the fake accepts (xoxb-...). */
  token: string;
  channels: FakeSlackChannel[];
  users?: FakeSlackUser[];
  /** Loopback port; 0 (the default) takes a free one. */
  port?: number;
}): Promise<FakeSlack> {
  const workspace = new SlackWorkspace(options);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake-slack');
    if (req.method === 'GET' && url.pathname === '/received') {
      send(res, 200, 'application/json', {
        messages: workspace.messages,
        calls: workspace.calls,
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') {
      send(
        res,
        200,
        'text/html; charset=utf-8',
        receivedPage(workspace.messages, workspace.calls),
      );
      return;
    }
    const method = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname)?.[1];
    if (req.method !== 'POST' || !method) {
      send(res, 404, 'application/json', { ok: false, error: 'not_found' });
      return;
    }
    const args = await readArgs(req);
    if ('error' in args) {
      send(res, 200, 'application/json', { ok: false, error: args.error });
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? args.token;
    if (!token) {
      send(res, 200, 'application/json', { ok: false, error: 'not_authed' });
      return;
    }
    if (token !== options.token) {
      send(res, 200, 'application/json', { ok: false, error: 'invalid_auth' });
      return;
    }
    delete args.token;
    send(res, 200, 'application/json', workspace.call(method, args));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(error => {
      send(res, 500, 'application/json', {
        ok: false,
        error: 'fatal_error',
        detail: String(error),
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    url: `${base}/`,
    calls: workspace.calls,
    channelMessages: channel => workspace.channelMessages(channel),
    stop: () =>
      new Promise((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}

/**
 * The method's arguments from a form or JSON body. As Slack does, the form
 * fields that carry structures (attachments, blocks) are JSON text; a field
 * that is not valid JSON gets Slack's invalid_<field> error.
 */
async function readArgs(
  req: IncomingMessage,
): Promise<SlackArgs | { error: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    try {
      return body ? JSON.parse(body) : {};
    } catch {
      return { error: 'invalid_json' };
    }
  }
  const args: SlackArgs = Object.fromEntries(new URLSearchParams(body));
  for (const field of ['attachments', 'blocks']) {
    if (typeof args[field] === 'string') {
      try {
        args[field] = JSON.parse(args[field] as string);
      } catch {
        return { error: `invalid_${field}` };
      }
    }
  }
  return args;
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: unknown,
) {
  res.writeHead(status, { 'Content-Type': contentType });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
