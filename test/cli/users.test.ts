/**
 * `npm run users` end to end on an embedded data folder: create, list, set-role,
 * add-password (the password works for Basic auth), revoke, delete; and the refusal while
 * another process holds the folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authenticator.js';
import { lockDataDir } from '../../src/db/data-dir-lock.js';
import { openDatabase } from '../../src/db/database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'gw-users-cli-'));

function users(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/users.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm run users', { timeout: 180_000 }, () => {
  let password = '';

  it('creates a user and adds a password that is printed once', () => {
    expect(users('create', 'clerk', '--email', 'clerk@example.com', '--role', 'viewer')).toMatchObject({
      code: 0,
    });
    const added = users('add-password', 'clerk', '--name', 'laptop');
    expect(added.code).toBe(0);
    password = /\n([A-Za-z0-9]{4}(?: [A-Za-z0-9]{4}){5})\n/.exec(added.out)?.[1] ?? '';
    expect(password).not.toBe('');
  });

  it('lists users with role and password names, never secrets', () => {
    const listed = users('list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/clerk\tclerk@example.com\tviewer\tcustomer=-\tpasswords=\d+:laptop/);
    expect(listed.out).not.toContain(password);
  });

  it('the printed password authenticates; set-role changes the role', async () => {
    expect(users('set-role', 'clerk', 'shop_manager').code).toBe(0);
    const db = await openDatabase({ dataDir });
    try {
      const result = await new Authenticator(db).authenticate({ login: 'clerk', password });
      expect(result?.principal.role).toBe('SHOP_MANAGER');
    } finally {
      await db.close();
    }
  });

  it('refuses while another process holds the data folder', () => {
    const unlock = lockDataDir(dataDir);
    try {
      const refused = users('list');
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/in use by process \d+/);
    } finally {
      unlock();
    }
  });

  it('revokes the password, then deletes the user', async () => {
    expect(users('revoke-password', 'clerk', 'laptop').code).toBe(0);
    const db = await openDatabase({ dataDir });
    try {
      expect(await new Authenticator(db).authenticate({ login: 'clerk', password })).toBeNull();
    } finally {
      await db.close();
    }
    expect(users('delete', 'clerk').code).toBe(0);
    expect(users('list').out).not.toContain('clerk');
  });

  it('explains bad input', () => {
    const bad = users('set-role', 'nobody', 'viewer');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('no user with login "nobody"');
  });
});
