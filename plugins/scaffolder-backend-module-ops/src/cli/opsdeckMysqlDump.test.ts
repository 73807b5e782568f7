import { runOpsdeckMysqlDump } from './opsdeckMysqlDump';

async function refusal(args: string[]) {
  const errors: string[] = [];
  const code = await runOpsdeckMysqlDump(args, {
    env: {},
    out: () => {},
    err: line => errors.push(line),
  });
  return { code, message: errors.join('\n').split('\n')[0] };
}

const valid = [
  '--host=db-1',
  '--user=backup',
  '--database=maintenance',
  '--file=/nonexistent/maintenance-1.sql.gz',
];

describe('opsdeck-mysql-dump', () => {
  it('refuses missing or bad options, naming the option, before connecting', async () => {
    expect(await refusal(valid.slice(1))).toEqual({
      code: 2,
      message: 'opsdeck-mysql-dump: --host is required',
    });
    expect(await refusal([...valid, '--port=0'])).toEqual({
      code: 2,
      message:
        "opsdeck-mysql-dump: --port must be an integer from 1 to 65535, not '0'",
    });
    expect(
      await refusal([...valid.slice(0, 3), '--file=/backups/m.sql']),
    ).toEqual({
      code: 2,
      message:
        "opsdeck-mysql-dump: --file must end in .sql.gz (the dump is gzipped), not 'm.sql'",
    });
    expect((await refusal([...valid, '--password=x'])).message).toMatch(
      /^opsdeck-mysql-dump: Unknown option '--password'/,
    );
  });

  it('prints its usage with --help', async () => {
    const lines: string[] = [];
    expect(
      await runOpsdeckMysqlDump(['--help'], { out: line => lines.push(line) }),
    ).toBe(0);
    expect(lines[0]).toMatch(/^Usage: opsdeck-mysql-dump --host HOST/);
  });
});
