import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newestPostgresBinDir } from './binDir';

describe('newestPostgresBinDir', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-lib-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function install(version: string, programs: string[]) {
    const bin = path.join(root, version, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    for (const program of programs) {
      fs.writeFileSync(path.join(bin, program), '');
    }
  }

  it('picks the newest major version that has the program, by number not by text', () => {
    install('9', ['pg_ctl']);
    install('15', ['pg_ctl', 'pg_dump']);
    install('17', ['pg_dump']); // a client-only install: no server
    expect(newestPostgresBinDir('pg_ctl', root)).toBe(
      path.join(root, '15', 'bin'),
    );
    expect(newestPostgresBinDir('pg_dump', root)).toBe(
      path.join(root, '17', 'bin'),
    );
  });

  it('is undefined when nothing is installed', () => {
    expect(newestPostgresBinDir('pg_ctl', root)).toBeUndefined();
    expect(
      newestPostgresBinDir('pg_ctl', path.join(root, 'missing')),
    ).toBeUndefined();
  });
});
