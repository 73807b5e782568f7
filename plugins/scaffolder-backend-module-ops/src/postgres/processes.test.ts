import {
  asUser,
  lastLines,
  postgresEnvironment,
  runCommand,
} from './processes';

describe('asUser', () => {
  it('runs the program through runuser, arguments untouched', () => {
    expect(
      asUser(
        { file: '/usr/lib/postgresql/15/bin/initdb', args: ['-D', '/x y'] },
        'postgres',
      ),
    ).toEqual({
      file: 'runuser',
      args: [
        '-u',
        'postgres',
        '--',
        '/usr/lib/postgresql/15/bin/initdb',
        '-D',
        '/x y',
      ],
    });
    const command = { file: 'pg_ctl', args: ['stop'] };
    expect(asUser(command, undefined)).toBe(command);
  });
});

describe('postgresEnvironment', () => {
  it('drops libpq variables, pins UTC, and adds what is given', () => {
    expect(
      postgresEnvironment(
        { PGPASSWORD: 'pw', EMPTY: undefined },
        {
          PATH: '/bin',
          PGHOST: 'elsewhere',
          PGSSLMODE: 'disable',
          TZ: 'Europe/Paris',
        },
      ),
    ).toEqual({ PATH: '/bin', TZ: 'UTC', LC_MESSAGES: 'C', PGPASSWORD: 'pw' });
  });
});

describe('runCommand', () => {
  it('passes arguments without a shell and returns the output', async () => {
    const { stdout } = await runCommand({
      file: process.execPath,
      args: [
        '-e',
        'process.stdout.write(process.argv[1])',
        '$(touch /tmp/pwned); `id`',
      ],
    });
    expect(stdout).toBe('$(touch /tmp/pwned); `id`');
  });

  it('rejects with the exit code and the last error lines', async () => {
    await expect(
      runCommand({
        file: process.execPath,
        args: [
          '-e',
          'console.error("first\\nsecond\\nthird"); process.exit(3)',
        ],
      }),
    ).rejects.toThrow(/exited with code 3: second \| third$/);
  });

  it('kills the program when cancelled', async () => {
    const controller = new AbortController();
    const running = runCommand(
      { file: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'] },
      { signal: controller.signal },
    );
    controller.abort();
    await expect(running).rejects.toThrow('was cancelled');
  });

  it('says so when the program does not exist', async () => {
    await expect(
      runCommand({ file: '/nonexistent/pg_restore', args: [] }),
    ).rejects.toThrow(
      'pg_restore could not be started (spawn /nonexistent/pg_restore ENOENT)',
    );
  });
});

describe('lastLines', () => {
  it('keeps the last non-empty lines on one line', () => {
    expect(lastLines('a\n\nb\n  c  \n\n')).toBe('b | c');
  });
});
