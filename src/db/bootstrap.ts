/**
 * Accounts and data every start guarantees:
 * - ADMIN_USER + ADMIN_APP_PASSWORD set: that administrator exists with that password
 *   (created or updated), on any database;
 * - embedded database, no users at all and no ADMIN_*: an administrator `admin` is created
 *   and its fresh application password printed once;
 * - demo data when the customers table is empty and SEED_DEMO allows it.
 */
import { generateApplicationPassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Database } from './database.js';
import { seedDemo } from './seed.js';

/** Name of the application password managed by ADMIN_APP_PASSWORD. */
export const BOOTSTRAP_PASSWORD_NAME = 'ADMIN_APP_PASSWORD';

export async function bootstrap(db: Database, config: Config, logger: Logger): Promise<void> {
  if (config.admin) {
    await ensureAdministrator(db, config.admin.login, config.admin.password);
    logger.info({ login: config.admin.login }, 'bootstrap administrator ensured');
  } else if (db.kind === 'pglite' && (await db.prisma.user.count()) === 0) {
    const password = generateApplicationPassword();
    await ensureAdministrator(db, 'admin', password);
    // Printed once, on purpose outside the JSON log: it is the only time it can be seen.
    process.stdout.write(
      `\nCreated the first administrator.\n  login:                admin\n  application password: ${password}\n` +
        'Use them as HTTP Basic credentials (GraphiQL asks for them). This password is not shown again.\n\n',
    );
  }
  if (config.seedDemo && (await db.prisma.customer.count()) === 0) {
    const summary = await seedDemo(db);
    logger.info(summary, 'demo data seeded');
  }
}

/** Makes `login` an administrator whose application passwords include `password`. */
export async function ensureAdministrator(db: Database, login: string, password: string): Promise<void> {
  const user = await db.prisma.user.upsert({
    where: { login },
    create: { login, email: `${login}@localhost`, displayName: login, role: 'ADMINISTRATOR' },
    update: { role: 'ADMINISTRATOR' },
    select: { id: true, applicationPasswords: { where: { name: BOOTSTRAP_PASSWORD_NAME } } },
  });
  for (const existing of user.applicationPasswords) {
    if (await verifyPassword(password, existing.hash)) return;
  }
  const hash = await hashPassword(password);
  await db.prisma.$transaction([
    db.prisma.applicationPassword.deleteMany({ where: { userId: user.id, name: BOOTSTRAP_PASSWORD_NAME } }),
    db.prisma.applicationPassword.create({ data: { userId: user.id, name: BOOTSTRAP_PASSWORD_NAME, hash } }),
  ]);
}
