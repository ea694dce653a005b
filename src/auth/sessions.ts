/**
 * Cookie sessions for browsers (GraphiQL, an admin UI): `POST /auth/session` with Basic
 * credentials opens one. The cookie carries the session id signed with SESSION_SECRET; the
 * row in `sessions` references the user and the application password that opened it, so
 * deleting either ends the session (cascade). Writes authenticated by the cookie alone need
 * the session's nonce in `X-WP-Nonce` (CSRF defence, as in WordPress).
 *
 * Verified sessions are cached in memory for `cacheTtlMs` (like Basic credentials): an ended
 * session stops working on other instances within that time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/database.js';
import { type Principal, principalFor } from '../graphql/context.js';

export const SESSION_COOKIE = 'fc_gateway_session';

interface CachedSession {
  principal: Principal;
  cachedUntil: number;
}

export class Sessions {
  private readonly cache = new Map<string, CachedSession>();

  constructor(
    private readonly db: Database,
    private readonly secret: Buffer,
    readonly ttlMs: number,
    private readonly cacheTtlMs: number,
  ) {}

  async open(
    userId: bigint,
    passwordId: bigint,
  ): Promise<{ cookieValue: string; nonce: string; expiresAt: Date }> {
    const id = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.db.prisma.session.create({ data: { id, userId, passwordId, expiresAt } });
    // Expired rows of anyone are dropped now and then, so the table does not grow forever.
    if (Math.random() < 0.05) {
      await this.db.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    }
    return { cookieValue: `${id}.${this.sign(`session:${id}`)}`, nonce: this.nonceFor(id), expiresAt };
  }

  /** The session id of a well-signed cookie value, else null. */
  sessionIdOf(cookieValue: string): string | null {
    const dot = cookieValue.lastIndexOf('.');
    if (dot <= 0) return null;
    const id = cookieValue.slice(0, dot);
    return safeEqual(cookieValue.slice(dot + 1), this.sign(`session:${id}`)) ? id : null;
  }

  /** The principal of a live session, or null (unknown, expired, user or password gone). */
  async resolve(sessionId: string): Promise<Principal | null> {
    const now = Date.now();
    const cached = this.cache.get(sessionId);
    if (cached && cached.cachedUntil > now) return cached.principal;
    this.cache.delete(sessionId);
    const session = await this.db.prisma.session.findUnique({
      where: { id: sessionId },
      select: { expiresAt: true, user: { select: { id: true, login: true, role: true } } },
    });
    if (!session || session.expiresAt.getTime() <= now) return null;
    const principal = principalFor(session.user);
    this.cache.set(sessionId, {
      principal,
      cachedUntil: Math.min(now + this.cacheTtlMs, session.expiresAt.getTime()),
    });
    return principal;
  }

  async close(sessionId: string): Promise<void> {
    this.cache.delete(sessionId);
    await this.db.prisma.session.deleteMany({ where: { id: sessionId } });
  }

  nonceFor(sessionId: string): string {
    return this.sign(`nonce:${sessionId}`).slice(0, 22);
  }

  verifyNonce(sessionId: string, nonce: string | null): boolean {
    return nonce !== null && safeEqual(nonce, this.nonceFor(sessionId));
  }

  private sign(value: string): string {
    return createHmac('sha256', this.secret).update(value).digest('base64url');
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}
