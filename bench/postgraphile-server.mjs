// PostGraphile v5 (Amber preset, grafserv on node:http) over the bench database's `public`
// schema: its generated schema, no plugins beyond the preset. Run with the polyfill:
//   node --import ./bench/polyfill.mjs bench/postgraphile-server.mjs
// Env: DATABASE_URL, PORT, HOST (default 127.0.0.1), POOL_SIZE (default 10, as the gateway).
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? 10),
});
pool.on('error', () => {});

/**
 * The one adjustment PostGraphile needs for this database: the `order_status` enum has the
 * label `on-hold`, which is not a valid GraphQL name; without this inflector the Order type
 * (and with it Customer) is dropped from the schema. `on-hold` becomes ON_HOLD, as on the gateway.
 * @type {GraphileConfig.Plugin}
 */
const EnumHyphenPlugin = {
  name: 'BenchEnumHyphenPlugin',
  version: '0.0.0',
  inflection: {
    replace: {
      enumValue(previous, _options, value, codec) {
        return previous(value.replace(/-/g, '_'), codec);
      },
    },
  },
};

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [EnumHyphenPlugin],
  pgServices: [makePgService({ pool, schemas: ['public'], pubsub: false })],
  grafserv: { graphiql: false, watch: false, graphqlPath: '/graphql' },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
// grafserv's node handler, with a /ready probe in front (no websockets needed here).
const handler = serv.createHandler();
const server = createServer((req, res) => {
  if (req.url === '/ready') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ready":true}');
    return;
  }
  handler(req, res, () => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
  });
});
// Build the schema before announcing readiness, so the first request is not the one paying.
await pgl.getSchema();
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 4200), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`postgraphile listening on ${process.env.PORT}\n`);
});
const stop = async () => {
  server.close();
  await pgl.release().catch(() => {});
  await pool.end().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
