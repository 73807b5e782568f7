import { runOpsdeckPgDump } from './opsdeckPgDump';

async function refusal(args: string[]) {
  const errors: string[] = [];
  const code = await runOpsdeckPgDump(args, {
    env: {},
    out: () => {},
    err: line => errors.push(line),
  });
  return { code, message: errors.join('\n').split('\n')[0] };
}

const valid = [
  '--host=db-1',
  '--username=backup',
  '--dbname=orders',
  '--file=/nonexistent/orders-1',
  '--bin-dir=/usr/lib/postgresql/15/bin',
];

describe('opsdeck-pg-dump', () => {
  it('refuses missing or bad options, naming the option, before connecting', async () => {
    expect(await refusal(valid.slice(1))).toEqual({
      code: 2,
      message: 'opsdeck-pg-dump: --host is required',
    });
    expect(await refusal([...valid, '--format=plain'])).toEqual({
      code: 2,
      message:
        "opsdeck-pg-dump: --format must be directory (pg_dump -Fd) or custom (pg_dump -Fc), not 'plain'",
    });
    expect(await refusal([...valid, '--port=70000'])).toEqual({
      code: 2,
      message:
        "opsdeck-pg-dump: --port must be an integer from 1 to 65535, not '70000'",
    });
    expect((await refusal([...valid, '--compress=9'])).message).toMatch(
      /^opsdeck-pg-dump: Unknown option '--compress'/,
    );
  });

  it('refuses to write over an existing file', async () => {
    expect(
      await refusal([...valid.slice(0, 3), `--file=${__filename}`]),
    ).toEqual({
      code: 2,
      message: `opsdeck-pg-dump: --file ${__filename} exists already`,
    });
  });
});
