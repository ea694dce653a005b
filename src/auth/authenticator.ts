/**
 * HTTP Basic authentication with application passwords (`login:password`, spaces in the
 * password ignored). Verifying an scrypt hash costs tens of milliseconds, so a successful
 * verification is cached in memory for `cacheTtlMs` under a SHA-256 of the credentials
 * (never the secret itself). Revoking a password or deleting a user therefore takes effect
 * within that lifetime (30 s by default, documented in the README). Concurrent requests with
 * the same uncached credentials share one verification, so a busy client whose entry just
 * expired pays the hash once, not once per request in flight.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';
import { type Principal, principalFor } from '../graphql/context.js';
import { hashPassword, normalizeApplicationPassword, verifyPassword } from './passwords.js';

export interface Credentials {
  login: string;
  password: string;
}

interface CacheEntry {
  principal: Principal;
  passwordId: bigint;
  expiresAt: number;
}

export function parseBasicAuthorization(header: string | null): Credentials | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<CacheEntry | null>>();
  // Checked against when the login is unknown, so that the response time does not tell
  // whether a login exists.
  private readonly decoyHash = hashPassword('decoy-password-never-matches');

  constructor(
    private readonly db: Database,
    private readonly cacheTtlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The principal for these credentials, or null when they are not valid. */
  async authenticate(credentials: Credentials): Promise<{ principal: Principal; passwordId: bigint } | null> {
    const key = createHash('sha256')
      .update(credentials.login)
      .update('\0')
      .update(normalizeApplicationPassword(credentials.password))
      .digest('base64');
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached;
    if (cached) this.cache.delete(key);
    let verification = this.inFlight.get(key);
    if (!verification) {
      verification = this.verify(credentials, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, verification);
    }
    return verification;
  }

  private async verify(credentials: Credentials, key: string): Promise<CacheEntry | null> {
    const user = await this.db.prisma.user.findUnique({
      where: { login: credentials.login },
      select: {
        id: true,
        login: true,
        role: true,
        applicationPasswords: { select: { id: true, hash: true } },
      },
    });
    if (!user || user.applicationPasswords.length === 0) {
      await verifyPassword(credentials.password, await this.decoyHash);
      return null;
    }
    for (const candidate of user.applicationPasswords) {
      if (await verifyPassword(credentials.password, candidate.hash)) {
        const entry = {
          principal: principalFor(user),
          passwordId: candidate.id,
          expiresAt: this.now() + this.cacheTtlMs,
        };
        this.evictExpired();
        this.cache.set(key, entry);
        return entry;
      }
    }
    return null;
  }

  /** A user as GraphQL would serialize it (for the session response). */
  async userProfile(userId: bigint): Promise<Record<string, string> | null> {
    const user = await this.db.prisma.user.findUnique({ where: { id: userId } });
    return user
      ? {
          id: String(user.id),
          login: user.login,
          email: user.email,
          displayName: user.displayName,
          role: user.role,
        }
      : null;
  }

  private evictExpired(): void {
    if (this.cache.size < 1000) return;
    const now = this.now();
    for (const [key, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(key);
  }
}
