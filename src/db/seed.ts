/**
 * Deterministic seed data: users, customers, their addresses and orders.
 *
 * - Deterministic: one seeded PRNG (mulberry32) drives every value, timestamps included
 *   (derived from a fixed epoch, never the clock). The same seed on a fresh database gives
 *   identical rows, ids included.
 * - Appending: ids come from the tables' sequences, so seeding again adds more rows. Emails
 *   and logins carry the row's id, which keeps them unique across runs; a row that still
 *   collides with hand-made data is skipped (ON CONFLICT DO NOTHING) with its dependants.
 * - Fast: every table is written with one multi-row `INSERT … SELECT FROM unnest(…)` per
 *   batch (arrays passed as literals, the same text on PostgreSQL and PGlite), one
 *   transaction per batch; on PostgreSQL two batches overlap (see writeCustomerBatch). The
 *   orders' stats trigger is switched off inside the batch's transaction (DDL is
 *   transactional: other sessions never see it off) and the batch's customers are then
 *   refreshed set-based with `refresh_customer_stats`, so stats are exact.
 */
import type { Database } from './database.js';

export interface SeedSummary {
  users: number;
  customers: number;
  addresses: number;
  orders: number;
}

export interface SeedOptions {
  /** Customers to write (each with 0–4 addresses and 0–10 orders). */
  customers: number;
  /** PRNG seed; the same seed on a fresh database gives identical rows. Default 1. */
  seed?: number;
  /**
   * Extra users linked to no customer (attachable). Default: 10% of `customers`, at least 5.
   * About a third of the customers additionally get a linked user of role `customer`.
   */
  users?: number;
  /** Called after each committed batch with customers written so far. */
  onProgress?: (done: number, total: number) => void;
  /** Customers per batch (one transaction each). Default 5000. */
  batchSize?: number;
}

/** The deterministic demo set seeded on first start of an empty store. */
export async function seedDemo(db: Database): Promise<SeedSummary> {
  return seed(db, { customers: 50, seed: 42, users: 12 });
}

// ---------------------------------------------------------------------------------------
// SQL executor: one code path for pg.Pool and PGlite
// ---------------------------------------------------------------------------------------

type Row = Record<string, unknown>;
/** Runs one statement and returns its rows. */
export type SqlExecutor = <R extends Row = Row>(text: string, params?: unknown[]) => Promise<R[]>;

/** Runs `fn` in one transaction on a dedicated connection (pool client or PGlite). */
export async function inTransaction<T>(db: Database, fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
  if (db.pool) {
    const client = await db.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(async <R extends Row>(text: string, params?: unknown[]) => {
        const res = await client.query(text, params);
        return res.rows as R[];
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
  if (db.pglite) {
    return db.pglite.transaction((tx) =>
      fn(async <R extends Row>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows),
    );
  }
  throw new Error('seed: the database has neither a pg pool nor a PGlite instance');
}

const NEEDS_ESCAPE = /[\\"]/;

/** A PostgreSQL array literal (`{1,"a b",NULL}`) for a `$n::type[]` parameter. */
function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v !== 'string') out += String(v);
    else if (NEEDS_ESCAPE.test(v)) out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else out += `"${v}"`;
  }
  return `${out}}`;
}

// ---------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [value, w] of items) {
      r -= w;
      if (r < 0) return value;
    }
    return items[items.length - 1]![0];
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

// ---------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------

/** Splits a comma-separated word list. */
const list = (words: string): readonly string[] => words.split(',');

/** Every timestamp is derived from this fixed instant (UTC), never from the clock. */
export const SEED_EPOCH_END = Date.UTC(2026, 9, 1) / 1000; // 2026-10-01T00:00:00Z
const DAY = 86_400;
const SPAN = 3 * 365 * DAY; // customers are created over ~3 years before the epoch

const FIRST_NAMES = list(
  'James,Mary,John,Patricia,Robert,Jennifer,Michael,Linda,William,Elizabeth,David,Barbara,' +
    'Richard,Susan,Joseph,Jessica,Thomas,Sarah,Charles,Karen,Daniel,Nancy,Matthew,Lisa,Anthony,' +
    'Emily,Mark,Olivia,Noah,Emma,Liam,Sophia,Lukas,Anna,Jonas,Lea,Felix,Marie,Léa,Hugo,Chloé,' +
    'Louis,José,Lucía,Mateo,Sofía,Giulia,Marco,Francesca,Luca,Sven,Ingrid,Björn,Astrid,Zoë,' +
    'Siobhán,Aoife,Hiroshi,Yuki,Haruto,Sakura,Priya,Arjun,Aditi,Rahul,João,Ana,Pedro,Camila,' +
    'Chen,Wei,Mei,Oliver,Amelia,Jack,Isla,Mohammed,Fatima,Omar,Aisha',
);
const LAST_NAMES = list(
  'Smith,Johnson,Williams,Brown,Jones,Garcia,Miller,Davis,Rodriguez,Martinez,Hernandez,Lopez,' +
    'Wilson,Anderson,Thomas,Taylor,Moore,Jackson,Martin,Lee,Thompson,White,Harris,Clark,Lewis,' +
    'Walker,Young,King,Wright,Scott,Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,' +
    'Hoffmann,Schäfer,Dubois,Lefèvre,Moreau,Laurent,Fernández,González,Sánchez,Rossi,Russo,' +
    "Ferrari,Esposito,Andersson,Johansson,Nilsson,Jensen,Nielsen,O'Brien,O'Connor,Murphy,Kelly," +
    'Tanaka,Suzuki,Takahashi,Watanabe,Sato,Patel,Sharma,Singh,Kumar,Silva,Santos,Oliveira,' +
    'Costa,Wang,Li,Zhang,Liu,van der Berg,de Vries,Kowalski',
);
const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['example.com', 40],
  ['example.org', 20],
  ['example.net', 20],
  ['mail.example', 10],
  ['shop.test', 5],
  ['inbox.test', 5],
];
const COMPANIES = list(
  'Acme GmbH,Globex Ltd,Initech,Umbrella Corp,Stark Industries,Wayne Enterprises,Hooli,' +
    'Vandelay Industries,Soylent SA,Nordwind AB',
);
const ADDRESS_2 = ['Apt 4B', 'Suite 200', '2nd floor', 'Unit 12', 'c/o Reception', 'Building C', 'Flat 3'];

interface Country {
  code: string;
  currency: string;
  weight: number;
  cities: readonly (readonly [city: string, state: string | null])[];
  streets: readonly string[];
  numberFirst: boolean;
  postcode: (r: Random) => string;
  phone: (r: Random) => string;
}

const upper = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const letter = (r: Random) => upper[r.int(0, upper.length - 1)]!;

const COUNTRIES: readonly Country[] = [
  {
    code: 'US',
    currency: 'USD',
    weight: 35,
    numberFirst: true,
    cities: [
      ['New York', 'NY'],
      ['Los Angeles', 'CA'],
      ['Chicago', 'IL'],
      ['Houston', 'TX'],
      ['Seattle', 'WA'],
      ['Boston', 'MA'],
      ['Denver', 'CO'],
      ['Austin', 'TX'],
      ['Portland', 'OR'],
      ['Miami', 'FL'],
    ],
    streets: ['Main Street', 'Oak Avenue', 'Maple Drive', 'Elm Street', 'Sunset Boulevard', 'Park Avenue'],
    postcode: (r) => r.digits(5),
    phone: (r) => `+1 (${r.int(201, 989)}) ${r.digits(3)}-${r.digits(4)}`,
  },
  {
    code: 'CA',
    currency: 'CAD',
    weight: 5,
    numberFirst: true,
    cities: [
      ['Toronto', 'ON'],
      ['Vancouver', 'BC'],
      ['Montréal', 'QC'],
      ['Calgary', 'AB'],
    ],
    streets: ['King Street West', 'Rue Sainte-Catherine', 'Granville Street', 'Yonge Street'],
    postcode: (r) => `${letter(r)}${r.int(0, 9)}${letter(r)} ${r.int(0, 9)}${letter(r)}${r.int(0, 9)}`,
    phone: (r) => `+1 ${r.int(204, 905)}-${r.digits(3)}-${r.digits(4)}`,
  },
  {
    code: 'GB',
    currency: 'GBP',
    weight: 12,
    numberFirst: true,
    cities: [
      ['London', null],
      ['Manchester', null],
      ['Edinburgh', 'Scotland'],
      ['Bristol', null],
      ['Leeds', null],
    ],
    streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Baker Street'],
    postcode: (r) => `${letter(r)}${letter(r)}${r.int(1, 20)} ${r.int(1, 9)}${letter(r)}${letter(r)}`,
    phone: (r) => `+44 ${r.pick(['20', '161', '131', '117'])} ${r.digits(4)} ${r.digits(4)}`,
  },
  {
    code: 'DE',
    currency: 'EUR',
    weight: 12,
    numberFirst: false,
    cities: [
      ['Berlin', null],
      ['München', 'Bayern'],
      ['Hamburg', null],
      ['Köln', 'Nordrhein-Westfalen'],
      ['Frankfurt am Main', 'Hessen'],
    ],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Gartenweg', 'Lindenallee'],
    postcode: (r) => r.digits(5),
    phone: (r) => `+49 ${r.pick(['30', '89', '40', '221'])} ${r.digits(7)}`,
  },
  {
    code: 'FR',
    currency: 'EUR',
    weight: 8,
    numberFirst: true,
    cities: [
      ['Paris', null],
      ['Lyon', null],
      ['Marseille', null],
      ['Toulouse', null],
      ['Bordeaux', null],
    ],
    streets: ['rue de la Paix', 'avenue Victor Hugo', 'boulevard Voltaire', 'rue du Moulin'],
    postcode: (r) => r.digits(5),
    phone: (r) => `+33 ${r.int(1, 9)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
  },
  {
    code: 'NL',
    currency: 'EUR',
    weight: 5,
    numberFirst: false,
    cities: [
      ['Amsterdam', null],
      ['Rotterdam', null],
      ['Utrecht', null],
      ['Den Haag', null],
    ],
    streets: ['Keizersgracht', 'Damstraat', 'Kerkstraat', 'Molenweg'],
    postcode: (r) => `${r.int(1000, 9999)} ${letter(r)}${letter(r)}`,
    phone: (r) => `+31 ${r.pick(['20', '10', '30'])} ${r.digits(3)} ${r.digits(4)}`,
  },
  {
    code: 'ES',
    currency: 'EUR',
    weight: 5,
    numberFirst: false,
    cities: [
      ['Madrid', null],
      ['Barcelona', 'Cataluña'],
      ['Valencia', null],
      ['Sevilla', 'Andalucía'],
    ],
    streets: ['Calle Mayor', 'Gran Vía', 'Calle de Alcalá', 'Passeig de Gràcia'],
    postcode: (r) => r.digits(5),
    phone: (r) => `+34 ${r.digits(3)} ${r.digits(3)} ${r.digits(3)}`,
  },
  {
    code: 'IT',
    currency: 'EUR',
    weight: 4,
    numberFirst: false,
    cities: [
      ['Roma', 'RM'],
      ['Milano', 'MI'],
      ['Torino', 'TO'],
      ['Napoli', 'NA'],
    ],
    streets: ['Via Roma', 'Via Garibaldi', 'Corso Vittorio Emanuele', 'Via Dante'],
    postcode: (r) => r.digits(5),
    phone: (r) => `+39 0${r.int(2, 9)} ${r.digits(4)} ${r.digits(4)}`,
  },
  {
    code: 'SE',
    currency: 'SEK',
    weight: 3,
    numberFirst: false,
    cities: [
      ['Stockholm', null],
      ['Göteborg', null],
      ['Malmö', null],
    ],
    streets: ['Drottninggatan', 'Storgatan', 'Kungsgatan'],
    postcode: (r) => `${r.digits(3)} ${r.digits(2)}`,
    phone: (r) => `+46 8-${r.digits(3)} ${r.digits(2)} ${r.digits(2)}`,
  },
  {
    code: 'JP',
    currency: 'JPY',
    weight: 5,
    numberFirst: false,
    cities: [
      ['Tokyo', 'Tokyo'],
      ['Osaka', 'Osaka'],
      ['Kyoto', 'Kyoto'],
      ['Yokohama', 'Kanagawa'],
    ],
    streets: ['Chuo-dori', 'Omotesando', 'Shijo-dori', 'Midosuji'],
    postcode: (r) => `${r.digits(3)}-${r.digits(4)}`,
    phone: (r) => `+81 3-${r.digits(4)}-${r.digits(4)}`,
  },
  {
    code: 'AU',
    currency: 'AUD',
    weight: 4,
    numberFirst: true,
    cities: [
      ['Sydney', 'NSW'],
      ['Melbourne', 'VIC'],
      ['Brisbane', 'QLD'],
      ['Perth', 'WA'],
    ],
    streets: ['George Street', 'Collins Street', 'Queen Street', 'Hay Street'],
    postcode: (r) => String(r.int(2000, 6999)),
    phone: (r) => `+61 ${r.int(2, 8)} ${r.digits(4)} ${r.digits(4)}`,
  },
  {
    code: 'BR',
    currency: 'BRL',
    weight: 2,
    numberFirst: false,
    cities: [
      ['São Paulo', 'SP'],
      ['Rio de Janeiro', 'RJ'],
      ['Belo Horizonte', 'MG'],
    ],
    streets: ['Avenida Paulista', 'Rua Augusta', 'Avenida Atlântica'],
    postcode: (r) => `${r.digits(5)}-${r.digits(3)}`,
    phone: (r) => `+55 (11) ${r.digits(5)}-${r.digits(4)}`,
  },
];
const COUNTRY_WEIGHTS = COUNTRIES.map((c) => [c, c.weight] as const);

/** Currencies without minor unit digits. */
const ZERO_DECIMAL = new Set(['JPY']);
const FOREIGN_CURRENCIES: readonly (readonly [string, number])[] = [
  ['USD', 50],
  ['EUR', 35],
  ['GBP', 15],
];

/** [order status, payment status] pairs as a shop sees them, with their frequency. */
const ORDER_KINDS: readonly (readonly [readonly [string, string], number])[] = [
  [['completed', 'paid'], 50],
  [['processing', 'paid'], 8],
  [['completed', 'partially_refunded'], 6],
  [['refunded', 'refunded'], 6],
  [['processing', 'partially_paid'], 4],
  [['on-hold', 'partially_paid'], 2],
  [['on-hold', 'pending'], 3],
  [['pending', 'pending'], 8],
  [['canceled', 'pending'], 4],
  [['canceled', 'failed'], 2],
  [['failed', 'failed'], 5],
];
/** Mirrors the database's `order_counts_toward_stats`. */
const COUNTED = new Set(['paid', 'partially_paid', 'partially_refunded']);

const ADDITIONAL_INFO: readonly ((r: Random) => Record<string, unknown>)[] = [
  (r) => ({ source: r.pick(['newsletter', 'google', 'referral', 'instagram', 'podcast']) }),
  (r) => ({ company: r.pick(COMPANIES), vat_id: `EU${r.digits(9)}` }),
  (r) => ({ vip: true, tier: r.pick(['gold', 'silver', 'platinum']) }),
  (r) => ({ preferred_language: r.pick(['en', 'de', 'fr', 'es', 'ja']), newsletter: r.chance(0.5) }),
  (r) => ({ tags: r.chance(0.5) ? ['wholesale'] : ['b2c', 'repeat'], notes: 'Prefers email contact' }),
  (r) => ({
    birthday: `${r.int(1950, 2004)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
  }),
];

/** ASCII letters of a name for email addresses and logins (`Müller` → `muller`, `O'Brien` → `obrien`). */
function slug(name: string): string {
  return name
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, 'o')
    .replace(/[æÆ]/g, 'ae')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function amount(r: Random, currency: string): number {
  const zero = ZERO_DECIMAL.has(currency);
  const [min, max] = zero ? [500, 80_000] : [500, 60_000];
  const raw = Math.exp(Math.log(min) + r.float() * (Math.log(max) - Math.log(min)));
  if (zero) return Math.max(10, Math.round(raw / 10) * 10);
  return Math.max(99, Math.round(raw / 100) * 100 - (r.chance(0.6) ? 1 : 0));
}

// ---------------------------------------------------------------------------------------
// Generation (pure: PRNG in, columns out)
// ---------------------------------------------------------------------------------------

interface UserRow {
  id: string;
  login: string;
  email: string;
  displayName: string;
  role: string;
  createdAt: number;
  updatedAt: number;
}

interface AddressRow {
  type: 'billing' | 'shipping';
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  state: string | null;
  postcode: string | null;
  country: string;
  phone: string | null;
  isPrimary: boolean;
  createdAt: number;
  updatedAt: number;
}

interface OrderRow {
  status: string;
  paymentStatus: string;
  total: number;
  refunded: number;
  currency: string;
  createdAt: number;
  updatedAt: number;
}

interface CustomerDraft {
  firstName: string;
  lastName: string;
  emailStyle: number;
  emailDomain: string;
  phone: string | null;
  status: string;
  additionalInfo: string;
  createdAt: number;
  updatedAt: number;
  /** Set when the customer gets a linked user (role `customer`): that user's updated_at. */
  userUpdatedAt: number | null;
  addresses: AddressRow[];
  orders: OrderRow[];
  totalSpent: number;
  orderCount: number;
  firstOrder: number | null;
  lastOrder: number | null;
}

function draftCustomer(r: Random): CustomerDraft {
  const firstName = r.pick(FIRST_NAMES);
  const lastName = r.pick(LAST_NAMES);
  const home = r.weighted(COUNTRY_WEIGHTS);
  const createdAt = SEED_EPOCH_END - SPAN + r.int(0, SPAN - 7 * DAY);
  const remaining = SEED_EPOCH_END - createdAt;
  const phone = r.chance(0.6) ? home.phone(r) : null;
  const customer: CustomerDraft = {
    firstName,
    lastName,
    emailStyle: r.int(0, 3),
    emailDomain: r.weighted(EMAIL_DOMAINS),
    phone,
    status: r.chance(0.92) ? 'active' : 'inactive',
    additionalInfo: r.chance(0.5) ? '{}' : JSON.stringify(r.pick(ADDITIONAL_INFO)(r)),
    createdAt,
    updatedAt: createdAt + (r.chance(0.4) ? 0 : r.int(0, Math.min(remaining, 365 * DAY))),
    userUpdatedAt: r.chance(0.35) ? createdAt + (r.chance(0.5) ? 0 : r.int(0, remaining)) : null,
    addresses: [],
    orders: [],
    totalSpent: 0,
    orderCount: 0,
    firstOrder: null,
    lastOrder: null,
  };

  // Addresses: 0–4, exactly one primary per type present.
  const addressCount = r.weighted([
    [0, 20],
    [1, 30],
    [2, 30],
    [3, 12],
    [4, 8],
  ] as const);
  for (let i = 0; i < addressCount; i++) {
    const type = i === 0 ? (r.chance(0.75) ? 'billing' : 'shipping') : r.chance(0.5) ? 'billing' : 'shipping';
    const country = r.chance(0.9) ? home : r.weighted(COUNTRY_WEIGHTS);
    const [city, state] = r.pick(country.cities);
    const street = r.pick(country.streets);
    const number = String(r.int(1, 250));
    const own = r.chance(0.85);
    const created = createdAt + r.int(0, remaining);
    customer.addresses.push({
      type,
      firstName: own ? firstName : r.pick(FIRST_NAMES),
      lastName: own ? lastName : r.pick(LAST_NAMES),
      company: r.chance(0.15) ? r.pick(COMPANIES) : null,
      address1: country.numberFirst ? `${number} ${street}` : `${street} ${number}`,
      address2: r.chance(0.2) ? r.pick(ADDRESS_2) : null,
      city,
      state,
      postcode: r.chance(0.95) ? country.postcode(r) : null,
      country: country.code,
      phone: r.chance(0.4) ? (phone ?? country.phone(r)) : null,
      isPrimary: false,
      createdAt: created,
      updatedAt: created + r.int(0, SEED_EPOCH_END - created),
    });
  }
  for (const type of ['billing', 'shipping'] as const) {
    const ofType = customer.addresses.filter((a) => a.type === type);
    if (ofType.length > 0) r.pick(ofType).isPrimary = true;
  }

  // Orders: 0–10, after the customer was created.
  const orderCount = r.chance(0.25) ? 0 : Math.min(10, 1 + Math.floor(r.float() ** 2 * 10));
  for (let i = 0; i < orderCount; i++) {
    const [status, paymentStatus] = r.weighted(ORDER_KINDS);
    const currency = r.chance(0.88) ? home.currency : r.weighted(FOREIGN_CURRENCIES);
    const total = amount(r, currency);
    let refunded = 0;
    if (paymentStatus === 'refunded') refunded = total;
    else if (paymentStatus === 'partially_refunded') refunded = r.int(1, Math.max(1, total - 1));
    const created = createdAt + r.int(0, remaining);
    const updated = Math.min(SEED_EPOCH_END, created + (r.chance(0.5) ? 0 : r.int(60, 30 * DAY)));
    customer.orders.push({
      status,
      paymentStatus,
      total,
      refunded,
      currency,
      createdAt: created,
      updatedAt: updated,
    });
    if (COUNTED.has(paymentStatus)) {
      customer.totalSpent += total - refunded;
      customer.orderCount += 1;
      customer.firstOrder = customer.firstOrder === null ? created : Math.min(customer.firstOrder, created);
      customer.lastOrder = customer.lastOrder === null ? created : Math.max(customer.lastOrder, created);
    }
  }
  return customer;
}

function customerEmail(c: CustomerDraft, id: string): string {
  const first = slug(c.firstName) || 'customer';
  const last = slug(c.lastName) || 'shopper';
  const local = [
    `${first}.${last}${id}`,
    `${first}${id}`,
    `${first[0]}${last}${id}`,
    `${last}.${first}.${id}`,
  ][c.emailStyle]!;
  return `${local}@${c.emailDomain}`;
}

/** A user linked to no customer (attachable). */
function draftUnlinkedUser(r: Random, id: string): UserRow {
  const firstName = r.pick(FIRST_NAMES);
  const lastName = r.pick(LAST_NAMES);
  const role = r.weighted([
    ['customer', 85],
    ['viewer', 8],
    ['shop_manager', 7],
  ] as const);
  const first = slug(firstName) || 'user';
  const last = slug(lastName) || 'account';
  const createdAt = SEED_EPOCH_END - SPAN + r.int(0, SPAN - DAY);
  return {
    id,
    login: login(firstName, lastName, id),
    email: `${first}.${last}.${id}@${r.weighted(EMAIL_DOMAINS)}`,
    displayName: `${firstName} ${lastName}`,
    role,
    createdAt,
    updatedAt: createdAt + (r.chance(0.5) ? 0 : r.int(0, SEED_EPOCH_END - createdAt)),
  };
}

function login(firstName: string, lastName: string, id: string): string {
  return `${(slug(firstName) || 'user').slice(0, 20)}.${(slug(lastName) || 'account').slice(0, 20)}${id}`;
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

async function allocateIds(sql: SqlExecutor, table: 'users' | 'customers', count: number): Promise<string[]> {
  if (count === 0) return [];
  const rows = await sql<{ id: string }>(
    `SELECT s.id::text AS id
       FROM (SELECT nextval($2::regclass) AS id FROM generate_series(1, $1::int)) AS s
      ORDER BY s.id`,
    [count, `"${table}_id_seq"`],
  );
  return rows.map((row) => String(row.id));
}

/** Inserts users; returns the ids actually inserted (a login taken by hand-made data is skipped). */
async function insertUsers(sql: SqlExecutor, users: readonly UserRow[]): Promise<Set<string>> {
  if (users.length === 0) return new Set();
  const rows = await sql<{ id: string }>(
    `INSERT INTO "users" ("id", "user_login", "user_email", "display_name", "role", "created_at", "updated_at")
     SELECT u.id, u.login, u.email, u.display_name, u.role, to_timestamp(u.created_at), to_timestamp(u.updated_at)
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::user_role[], $6::bigint[], $7::bigint[])
         AS u(id, login, email, display_name, role, created_at, updated_at)
     ON CONFLICT DO NOTHING
     RETURNING "id"::text AS id`,
    [
      arrayLiteral(users.map((u) => u.id)),
      arrayLiteral(users.map((u) => u.login)),
      arrayLiteral(users.map((u) => u.email)),
      arrayLiteral(users.map((u) => u.displayName)),
      arrayLiteral(users.map((u) => u.role)),
      arrayLiteral(users.map((u) => u.createdAt)),
      arrayLiteral(users.map((u) => u.updatedAt)),
    ],
  );
  return new Set(rows.map((row) => String(row.id)));
}

interface BatchResult {
  users: number;
  customers: number;
  addresses: number;
  orders: number;
}

/** A promise with its settle function: `settle()` resolves it, `settle(error)` rejects it. */
function deferred(): { promise: Promise<void>; settle: (error?: unknown) => void } {
  let settle!: (error?: unknown) => void;
  const promise = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // Failures surface through the batch that caused them; never as an unhandled rejection.
  promise.catch(() => {});
  return { promise, settle };
}

/** Column arrays of the addresses and orders of the given customers, as array literals. */
function dependantColumns(
  drafts: readonly CustomerDraft[],
  ids: readonly string[],
  keep: (id: string) => boolean,
) {
  const a = {
    customer: [] as string[],
    type: [] as string[],
    firstName: [] as (string | null)[],
    lastName: [] as (string | null)[],
    company: [] as (string | null)[],
    address1: [] as string[],
    address2: [] as (string | null)[],
    city: [] as string[],
    state: [] as (string | null)[],
    postcode: [] as (string | null)[],
    country: [] as string[],
    phone: [] as (string | null)[],
    isPrimary: [] as boolean[],
    createdAt: [] as number[],
    updatedAt: [] as number[],
  };
  const o = {
    customer: [] as string[],
    status: [] as string[],
    paymentStatus: [] as string[],
    total: [] as number[],
    refunded: [] as number[],
    currency: [] as string[],
    createdAt: [] as number[],
    updatedAt: [] as number[],
  };
  drafts.forEach((d, i) => {
    const id = ids[i]!;
    if (!keep(id)) return;
    for (const x of d.addresses) {
      a.customer.push(id);
      a.type.push(x.type);
      a.firstName.push(x.firstName);
      a.lastName.push(x.lastName);
      a.company.push(x.company);
      a.address1.push(x.address1);
      a.address2.push(x.address2);
      a.city.push(x.city);
      a.state.push(x.state);
      a.postcode.push(x.postcode);
      a.country.push(x.country);
      a.phone.push(x.phone);
      a.isPrimary.push(x.isPrimary);
      a.createdAt.push(x.createdAt);
      a.updatedAt.push(x.updatedAt);
    }
    for (const x of d.orders) {
      o.customer.push(id);
      o.status.push(x.status);
      o.paymentStatus.push(x.paymentStatus);
      o.total.push(x.total);
      o.refunded.push(x.refunded);
      o.currency.push(x.currency);
      o.createdAt.push(x.createdAt);
      o.updatedAt.push(x.updatedAt);
    }
  });
  return {
    addresses: a.customer.length,
    addressParams: [
      a.customer,
      a.type,
      a.firstName,
      a.lastName,
      a.company,
      a.address1,
      a.address2,
      a.city,
      a.state,
      a.postcode,
      a.country,
      a.phone,
      a.isPrimary,
      a.createdAt,
      a.updatedAt,
    ].map(arrayLiteral),
    orders: o.customer.length,
    orderParams: [
      o.customer,
      o.status,
      o.paymentStatus,
      o.total,
      o.refunded,
      o.currency,
      o.createdAt,
      o.updatedAt,
    ].map(arrayLiteral),
  };
}

/** Orders a batch's steps after the previous batch's, so that ids follow the batch order. */
interface BatchTurns {
  /** Settles when the previous batch has taken its customer and user ids. */
  allocate: Promise<void>;
  /** Call once this batch has taken its ids (lets the next batch take its own). */
  allocated: (error?: unknown) => void;
  /** Settles when the previous batch has committed (its addresses and orders are written). */
  previous: Promise<unknown>;
}

/**
 * Writes one batch of drafted customers with their users, addresses and orders (no PRNG
 * here: drafting happened before, in order). Two batches run at once on PostgreSQL: the
 * customers of one (the heaviest statement: fourteen indexes) are inserted while the other
 * writes its addresses and orders. Ids stay deterministic: customer and user ids are taken
 * in batch order, and addresses and orders (ids from their sequences' defaults) are
 * inserted only after the previous batch has committed.
 */
async function writeCustomerBatch(
  sql: SqlExecutor,
  drafts: readonly CustomerDraft[],
  turns: BatchTurns,
): Promise<BatchResult> {
  try {
    await turns.allocate;
  } catch {
    throw new Error('seed: an earlier batch failed');
  }
  let customerIds: string[];
  let userIds: string[];
  try {
    customerIds = await allocateIds(sql, 'customers', drafts.length);
    userIds = await allocateIds(sql, 'users', drafts.filter((d) => d.userUpdatedAt !== null).length);
  } catch (error) {
    turns.allocated(error);
    throw error;
  }
  turns.allocated();
  const emails = drafts.map((d, i) => customerEmail(d, customerIds[i]!));

  // Users linked to customers: role `customer`, the customer's name and email.
  const users: UserRow[] = [];
  const userOf: (string | null)[] = [];
  drafts.forEach((d, i) => {
    if (d.userUpdatedAt === null) {
      userOf.push(null);
      return;
    }
    const id = userIds[users.length]!;
    users.push({
      id,
      login: login(d.firstName, d.lastName, id),
      email: emails[i]!,
      displayName: `${d.firstName} ${d.lastName}`,
      role: 'customer',
      createdAt: d.createdAt,
      updatedAt: d.userUpdatedAt,
    });
    userOf.push(id);
  });
  const insertedUsers = await insertUsers(sql, users);

  const insertingCustomers = sql<{ id: string }>(
    `INSERT INTO "customers" ("id", "user_id", "email", "first_name", "last_name", "phone", "status",
                              "additional_info", "total_spent", "order_count", "first_order_date",
                              "last_order_date", "created_at", "updated_at")
     SELECT c.id, c.user_id, c.email, c.first_name, c.last_name, c.phone, c.status, c.additional_info,
            c.total_spent, c.order_count, to_timestamp(c.first_order), to_timestamp(c.last_order),
            to_timestamp(c.created_at), to_timestamp(c.updated_at)
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::customer_status[], $8::jsonb[], $9::bigint[], $10::int[], $11::bigint[],
                   $12::bigint[], $13::bigint[], $14::bigint[])
         AS c(id, user_id, email, first_name, last_name, phone, status, additional_info, total_spent,
              order_count, first_order, last_order, created_at, updated_at)
     ON CONFLICT DO NOTHING
     RETURNING "id"::text AS id`,
    [
      arrayLiteral(customerIds),
      arrayLiteral(userOf.map((id) => (id !== null && insertedUsers.has(id) ? id : null))),
      arrayLiteral(emails),
      arrayLiteral(drafts.map((d) => d.firstName)),
      arrayLiteral(drafts.map((d) => d.lastName)),
      arrayLiteral(drafts.map((d) => d.phone)),
      arrayLiteral(drafts.map((d) => d.status)),
      arrayLiteral(drafts.map((d) => d.additionalInfo)),
      arrayLiteral(drafts.map((d) => d.totalSpent)),
      arrayLiteral(drafts.map((d) => d.orderCount)),
      arrayLiteral(drafts.map((d) => d.firstOrder)),
      arrayLiteral(drafts.map((d) => d.lastOrder)),
      arrayLiteral(drafts.map((d) => d.createdAt)),
      arrayLiteral(drafts.map((d) => d.updatedAt)),
    ],
  );
  // While the database works: the dependants' columns (assuming every customer is written).
  let dependants = dependantColumns(drafts, customerIds, () => true);
  const inserted = new Set((await insertingCustomers).map((row) => String(row.id)));
  if (inserted.size < drafts.length) {
    // Some emails were taken by hand-made rows: leave out those customers' dependants.
    dependants = dependantColumns(drafts, customerIds, (id) => inserted.has(id));
  }

  try {
    await turns.previous;
  } catch {
    throw new Error('seed: an earlier batch failed');
  }

  if (dependants.addresses > 0) {
    await sql(
      `INSERT INTO "customer_addresses" ("customer_id", "type", "first_name", "last_name", "company", "address_1",
                                         "address_2", "city", "state", "postcode", "country", "phone",
                                         "is_primary", "created_at", "updated_at")
       SELECT a.customer_id, a.type, a.first_name, a.last_name, a.company, a.address_1, a.address_2, a.city,
              a.state, a.postcode, a.country, a.phone, a.is_primary, to_timestamp(a.created_at),
              to_timestamp(a.updated_at)
         FROM unnest($1::bigint[], $2::address_type[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                     $13::boolean[], $14::bigint[], $15::bigint[])
           AS a(customer_id, type, first_name, last_name, company, address_1, address_2, city, state,
                postcode, country, phone, is_primary, created_at, updated_at)`,
      dependants.addressParams,
    );
  }

  if (dependants.orders > 0) {
    // The per-statement stats trigger would recompute these customers anyway; it is switched
    // off for this transaction only (DDL is transactional: other sessions never see it off)
    // and the batch's customers are refreshed set-based right after.
    await sql('ALTER TABLE "orders" DISABLE TRIGGER "orders_stats_insert"');
    await sql(
      `INSERT INTO "orders" ("customer_id", "status", "payment_status", "total_amount", "refunded_amount",
                             "currency", "created_at", "updated_at")
       SELECT o.customer_id, o.status, o.payment_status, o.total_amount, o.refunded_amount, o.currency,
              to_timestamp(o.created_at), to_timestamp(o.updated_at)
         FROM unnest($1::bigint[], $2::order_status[], $3::payment_status[], $4::bigint[], $5::bigint[],
                     $6::text[], $7::bigint[], $8::bigint[])
           AS o(customer_id, status, payment_status, total_amount, refunded_amount, currency, created_at,
                updated_at)`,
      dependants.orderParams,
    );
    await sql('ALTER TABLE "orders" ENABLE TRIGGER "orders_stats_insert"');
  }
  // Stats were written with the customers (computed here, so that rows need not be written
  // twice). The database has the last word: customers whose stats differ from their orders
  // (as `order_counts_toward_stats` counts them) are refreshed set-based by
  // `refresh_customer_stats`; normally none. (Refreshing every customer of the batch would
  // work too, but its set-based plan scans all orders per batch.)
  if (inserted.size > 0) {
    await sql(
      `SELECT refresh_customer_stats(ARRAY(
         SELECT c."id"
           FROM "customers" AS c
           CROSS JOIN LATERAL (
             SELECT coalesce(sum(o."total_amount" - o."refunded_amount"), 0)::bigint AS total_spent,
                    count(*)::int AS order_count,
                    min(o."created_at") AS first_order_date,
                    max(o."created_at") AS last_order_date
               FROM "orders" AS o
              WHERE o."customer_id" = c."id" AND order_counts_toward_stats(o."payment_status")
           ) AS s
          WHERE c."id" = ANY ($1::bigint[])
            AND (c."total_spent", c."order_count", c."first_order_date", c."last_order_date")
                IS DISTINCT FROM (s.total_spent, s.order_count, s.first_order_date, s.last_order_date)))`,
      [arrayLiteral([...inserted])],
    );
  }

  return {
    users: insertedUsers.size,
    customers: inserted.size,
    addresses: dependants.addresses,
    orders: dependants.orders,
  };
}

async function writeUnlinkedUsers(sql: SqlExecutor, r: Random, count: number): Promise<number> {
  const ids = await allocateIds(sql, 'users', count);
  return (
    await insertUsers(
      sql,
      ids.map((id) => draftUnlinkedUser(r, id)),
    )
  ).size;
}

/** Writes `options.customers` customers (with addresses, orders and some users) and extra unlinked users. */
export async function seed(db: Database, options: SeedOptions): Promise<SeedSummary> {
  const total = options.customers;
  if (!Number.isSafeInteger(total) || total < 0)
    throw new RangeError('seed: customers must be an integer ≥ 0');
  const extraUsers = options.users ?? (total === 0 ? 0 : Math.max(5, Math.round(total / 10)));
  if (!Number.isSafeInteger(extraUsers) || extraUsers < 0)
    throw new RangeError('seed: users must be an integer ≥ 0');
  const batchSize = Math.max(1, options.batchSize ?? 5000);
  const r = new Random(options.seed ?? 1);
  const summary: SeedSummary = { users: 0, customers: 0, addresses: 0, orders: 0 };

  // One batch at a time on PGlite (one connection); two on PostgreSQL (see writeCustomerBatch).
  const concurrency = db.pool ? 2 : 1;
  const running: Promise<BatchResult & { drafted: number }>[] = [];
  let allocate: Promise<void> = Promise.resolve();
  let previous: Promise<unknown> = Promise.resolve();
  let done = 0;
  const settleOldest = async () => {
    const result = await running.shift()!;
    summary.users += result.users;
    summary.customers += result.customers;
    summary.addresses += result.addresses;
    summary.orders += result.orders;
    done += result.drafted;
    options.onProgress?.(done, total);
  };

  options.onProgress?.(0, total);
  try {
    for (let drafted = 0; drafted < total; ) {
      const count = Math.min(batchSize, total - drafted);
      // Drafting (all PRNG use) happens here, in batch order, while earlier batches run.
      const drafts = Array.from({ length: count }, () => draftCustomer(r));
      drafted += count;
      const turn = deferred();
      const turns: BatchTurns = { allocate, allocated: turn.settle, previous };
      const batch = inTransaction(db, (sql) => writeCustomerBatch(sql, drafts, turns)).then((result) => ({
        ...result,
        drafted: count,
      }));
      // Whatever happens to the batch, the next one must not wait forever (and a failure is
      // reported once, by the batch itself, when its turn to be awaited comes).
      batch.then(
        () => turn.settle(),
        (error: unknown) => turn.settle(error ?? new Error('seed: batch failed')),
      );
      allocate = turn.promise;
      previous = batch;
      running.push(batch);
      if (running.length >= concurrency) await settleOldest();
    }
    while (running.length > 0) await settleOldest();
  } finally {
    // On failure, let the batches still running finish (they fail fast) before returning.
    await Promise.allSettled(running);
  }

  for (let written = 0; written < extraUsers; written += batchSize) {
    const count = Math.min(batchSize, extraUsers - written);
    summary.users += await inTransaction(db, (sql) => writeUnlinkedUsers(sql, r, count));
  }
  if (total > 0 || extraUsers > 0) {
    await inTransaction(db, async (sql) => {
      // Bulk inserts leave the trigram (GIN) indexes' fast-update pending lists full; every
      // search scans those linearly and the planner, rightly, prices them so high that it
      // prefers a sequential scan. Only (auto)vacuum flushes them otherwise, and PGlite has
      // no autovacuum.
      await sql(
        `SELECT gin_clean_pending_list(i.indexrelid)
           FROM pg_index AS i
           JOIN pg_class AS c ON c.oid = i.indexrelid
           JOIN pg_am AS am ON am.oid = c.relam
          WHERE am.amname = 'gin'
            AND i.indrelid IN ('"users"'::regclass, '"customers"'::regclass,
                               '"customer_addresses"'::regclass, '"orders"'::regclass)`,
      );
      // Fresh planner statistics after a bulk load (autovacuum would get there later).
      await sql('ANALYZE "users", "customers", "customer_addresses", "orders"');
    });
  }
  return summary;
}
