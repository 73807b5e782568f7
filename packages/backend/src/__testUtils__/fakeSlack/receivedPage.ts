import { bodyText, FakeSlackCall, FakeSlackMessage } from './slackWorkspace';

// The fake's GET / page for the demo: each channel's messages as they stand
// (the text, then the notification's body from the attachment's blocks),
// then every Web API call. It refreshes itself so a demo watcher sees a new
// incident arrive.

export function receivedPage(
  messages: FakeSlackMessage[],
  calls: FakeSlackCall[],
): string {
  const byChannel = new Map<string, FakeSlackMessage[]>();
  for (const message of messages) {
    byChannel.set(message.channel, [
      ...(byChannel.get(message.channel) ?? []),
      message,
    ]);
  }
  const channels = [...byChannel]
    .map(
      ([channel, list]) =>
        `<h2>${escape(channel)}</h2>${list.map(messageHtml).join('')}`,
    )
    .join('');
  const rows = calls
    .map(
      call =>
        `<tr><td>${escape(call.at)}</td><td>${escape(call.method)}</td>` +
        `<td>${escape(
          String(call.args.channel ?? call.args.email ?? ''),
        )}</td>` +
        `<td>${
          call.response.ok ? 'ok' : escape(String(call.response.error))
        }</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Fake Slack: received</title>
<style>body{font-family:sans-serif;margin:2em}pre{background:#f4f4f4;padding:.5em;white-space:pre-wrap}
.msg{border-left:4px solid #ccc;margin:1em 0;padding-left:1em}td{padding:0 1em}</style></head>
<body><h1>Fake Slack: what OpsDeck sent</h1>
<p>JSON: <a href="/received">/received</a>. This page refreshes every 5 s.</p>
${channels || '<p>No message yet.</p>'}
<h2>Web API calls</h2><table><tr><th>at</th><th>method</th><th>channel / email</th><th>answer</th></tr>${rows}</table>
</body></html>`;
}

function messageHtml(message: FakeSlackMessage): string {
  const edited = message.edits > 0 ? ` (edited ${message.edits}×)` : '';
  return (
    `<div class="msg"><b>${escape(message.text ?? '')}</b> ` +
    `<small>ts ${escape(message.ts)}${edited}</small>` +
    `<pre>${escape(bodyText(message))}</pre></div>`
  );
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
