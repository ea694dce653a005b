/**
 * The credential cache of the Basic authenticator: a success is reused for its lifetime,
 * requests in flight with the same uncached credentials share one verification (no
 * stampede of scrypt checks when a busy client's entry expires), and a revoked password
 * stops working once the entry has expired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authenticator.js';
import { addPassword, createUser, revokePassword } from '../../src/auth/user-admin.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let userLookups = 0;
let password = '';

beforeAll(async () => {
  db = await createTestDatabase({
    onQuery: (sql) => {
      if (/FROM "public"\."users"/.test(sql)) userLookups++;
    },
  });
  await createUser(db, { login: 'busy', email: 'busy@example.com', role: 'VIEWER' });
  ({ password } = await addPassword(db, 'busy', 'load'));
});

afterAll(() => db.close());

describe('Authenticator cache', () => {
  it('when 20 requests arrive with the same uncached credentials, then one verification serves them all', async () => {
    const authenticator = new Authenticator(db);
    userLookups = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => authenticator.authenticate({ login: 'busy', password })),
    );
    expect(results.every((r) => r?.principal.role === 'VIEWER')).toBe(true);
    expect(userLookups).toBe(1);
    await authenticator.authenticate({ login: 'busy', password });
    expect(userLookups).toBe(1);
  });

  it('when a wrong password is tried concurrently with the right one, then only the right one passes', async () => {
    const authenticator = new Authenticator(db);
    const [right, wrong] = await Promise.all([
      authenticator.authenticate({ login: 'busy', password }),
      authenticator.authenticate({ login: 'busy', password: `${password}x` }),
    ]);
    expect(right?.principal.role).toBe('VIEWER');
    expect(wrong).toBeNull();
  });

  it('when a password is revoked, then it works until the cache entry expires and not after', async () => {
    let now = 1_000_000;
    const authenticator = new Authenticator(db, 30_000, () => now);
    const extra = await addPassword(db, 'busy', 'to-revoke');
    expect(await authenticator.authenticate({ login: 'busy', password: extra.password })).not.toBeNull();
    await revokePassword(db, 'busy', 'to-revoke');
    now += 29_000;
    expect(await authenticator.authenticate({ login: 'busy', password: extra.password })).not.toBeNull();
    now += 2_000;
    expect(await authenticator.authenticate({ login: 'busy', password: extra.password })).toBeNull();
  });
});
