// npm run users -- <command> …   (user management; see `npm run users -- help`)
// On the embedded database this refuses while the server holds the data folder.
import { parseArgs } from 'node:util';
import {
  addPassword,
  createUser,
  deleteUser,
  listUsers,
  parseRole,
  revokePassword,
  setRole,
  UserAdminError,
} from '../src/auth/user-admin.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { DataDirBusyError } from '../src/db/data-dir-lock.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrations.js';

const usage = `usage: npm run users -- <command>
  create <login> --email <email> [--role administrator|shop_manager|viewer|customer] [--display-name <name>]
  list
  set-role <login> <role>
  add-password <login> [--name <label>]     prints the new application password once
  revoke-password <login> <password-id|name>
  delete <login>`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    role: { type: 'string' },
    'display-name': { type: 'string' },
    name: { type: 'string' },
  },
});
const [command, login, extra] = positionals;

function need(value: string | undefined, what: string): string {
  if (!value) throw new UserAdminError(`missing ${what}\n${usage}`);
  return value;
}

async function run(): Promise<void> {
  if (!command || command === 'help') {
    console.log(usage);
    return;
  }
  const config = loadConfig();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrate(db);
    switch (command) {
      case 'create': {
        const { id } = await createUser(db, {
          login: need(login, '<login>'),
          email: need(values.email, '--email'),
          displayName: values['display-name'],
          role: parseRole(values.role ?? 'customer'),
        });
        console.log(`created user ${login} (id ${id})`);
        break;
      }
      case 'list':
        for (const u of await listUsers(db)) {
          const passwords = u.applicationPasswords.map((p) => `${p.id}:${p.name}`).join(', ') || '-';
          console.log(
            `${u.id}\t${u.login}\t${u.email}\t${u.role.toLowerCase()}\tcustomer=${u.customer?.id ?? '-'}\tpasswords=${passwords}`,
          );
        }
        break;
      case 'set-role':
        await setRole(db, need(login, '<login>'), parseRole(need(extra, '<role>')));
        console.log(`${login} is now ${extra}`);
        break;
      case 'add-password': {
        const { id, password } = await addPassword(db, need(login, '<login>'), values.name ?? 'cli');
        console.log(`application password ${id} for ${login} (shown once, store it now):\n${password}`);
        break;
      }
      case 'revoke-password':
        await revokePassword(db, need(login, '<login>'), need(extra, '<password-id|name>'));
        console.log(`revoked; servers stop accepting it within AUTH_CACHE_TTL_MS`);
        break;
      case 'delete':
        await deleteUser(db, need(login, '<login>'));
        console.log(`deleted ${login}`);
        break;
      default:
        throw new UserAdminError(`unknown command "${command}"\n${usage}`);
    }
  } finally {
    await db.close();
  }
}

run().then(
  // The Wasm schema engine (loaded only when a migration was pending) leaves a timer behind.
  () => process.exit(0),
  (error: unknown) => {
    if (
      error instanceof UserAdminError ||
      error instanceof ConfigError ||
      error instanceof DataDirBusyError
    ) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
