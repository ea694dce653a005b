/**
 * Shared pieces of the property-based hostile-input tests (test/fuzz):
 * - run configuration: a fixed seed (override with FUZZ_SEED) and a small number of runs per
 *   property (override with FUZZ_RUNS; `npm run fuzz` runs many more), and `fuzzAssert`, which
 *   prints how to replay a failure;
 * - hostile values: SQL metacharacters, unicode (lone surrogates, bidi overrides, NUL),
 *   huge numbers, long strings, deeply nested JSON;
 * - the oracles every surface shares: the documented error codes and a leak detector (stack
 *   traces, file paths, SQL / Prisma / PostgreSQL error text).
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// Run configuration
// ---------------------------------------------------------------------------------------------

const DEFAULT_SEED = 20_240_601;

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${raw}`);
  return n;
}

/** The base seed of every property (FUZZ_SEED overrides it). */
export const fuzzSeed: number = envInt('FUZZ_SEED') ?? DEFAULT_SEED;

/** The default runs of the single-request properties; FUZZ_RUNS replaces this number. */
const BASE_RUNS = 150;

/**
 * Runs of a property: its small default, or with FUZZ_RUNS set, FUZZ_RUNS for the
 * single-request properties (default 150) and proportionally fewer for the heavier ones
 * (batches, multi-page traversals: default 60 → FUZZ_RUNS × 60/150).
 */
export function fuzzRuns(defaultRuns: number): number {
  const runs = envInt('FUZZ_RUNS');
  return runs !== undefined && runs > 0
    ? Math.max(1, Math.round((runs * defaultRuns) / BASE_RUNS))
    : defaultRuns;
}

/** A vitest timeout for `runs` runs of about `msPerRun` each (generous: the machine is shared). */
export function fuzzTimeout(runs: number, msPerRun: number): number {
  return 60_000 + runs * msPerRun * 3;
}

/** Cases run by each property, reported at the end of a file (see `reportRuns`). */
export const casesRun = new Map<string, number>();

/**
 * `fc.assert` with the fixed (or FUZZ_SEED) seed; a failure names the seed and the command that
 * replays it. Each property gets its own seed derived from the base seed and its name, so
 * adding a property does not change the cases of the others.
 */
export async function fuzzAssert<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  runs: number,
  /** The expected time of a run: generating and shrinking stop before the test's timeout. */
  msPerRun: number,
): Promise<void> {
  const timeLimitMs = fuzzTimeout(runs, msPerRun) - 15_000;
  const seed = (fuzzSeed ^ hash(name)) | 0;
  const path = process.env.FUZZ_PATH || undefined;
  let count = 0;
  const property = fc.asyncProperty(arbitrary, async (value) => {
    count++;
    await predicate(value);
  });
  let details: fc.RunDetails<[T]>;
  try {
    details = await fc.check(property, {
      seed,
      numRuns: runs,
      ...(path ? { path } : {}),
      // FUZZ_NO_SHRINK=1 reports the first failing case as it is (shrinking replays requests).
      ...(process.env.FUZZ_NO_SHRINK ? { endOnFailure: true } : {}),
      interruptAfterTimeLimit: timeLimitMs,
    });
  } finally {
    casesRun.set(name, (casesRun.get(name) ?? 0) + count);
  }
  if (details.interrupted && !details.failed) {
    console.warn(`[fuzz] ${name}: time limit reached after ${details.numRuns} of ${runs} runs (all passed)`);
  }
  if (!details.failed) return;
  const error = details.errorInstance;
  const message = error instanceof Error ? error.message : String(error);
  throw new Error(
    `Property "${name}" failed after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s) ` +
      `(property seed ${seed}, path "${details.counterexamplePath}").\n` +
      `Replay: FUZZ_SEED=${fuzzSeed}${process.env.FUZZ_RUNS ? ` FUZZ_RUNS=${process.env.FUZZ_RUNS}` : ''} npx vitest run test/fuzz -t '${name}'` +
      ` (FUZZ_PATH=${details.counterexamplePath} replays only the counterexample)\n` +
      `Counterexample: ${brief(details.counterexample?.[0], 3000)}\n\n${message}`,
  );
}

/** Outcomes seen by each property (`422 validation_error`, …), to show what the runs covered. */
const outcomes = new Map<string, Map<string, number>>();

export function tally(name: string, outcome: string): void {
  const counts = outcomes.get(name) ?? new Map<string, number>();
  counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  outcomes.set(name, counts);
}

/** Prints the cases each property ran (shrinking replays included) and their outcomes. */
export function reportRuns(file: string): void {
  const lines = [...casesRun].map(([name, n]) => {
    const seen = [...(outcomes.get(name) ?? [])].sort((a, b) => b[1] - a[1]);
    const summary = seen.map(([o, c]) => `${o} ×${c}`).join(', ');
    return `  ${name}: ${n} cases${summary ? ` — ${summary}` : ''}`;
  });
  if (lines.length > 0) console.log(`[fuzz] ${file} (FUZZ_SEED=${fuzzSeed})\n${lines.join('\n')}`);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

/** SQL metacharacters and injection-shaped strings. */
export const SQL_META = [
  "'",
  '"',
  ';',
  '--',
  '%',
  '_',
  '\\',
  '/*',
  '*/',
  '%%',
  '_%',
  '\\%',
  '\\_',
  '\\\\',
  "''",
  '`',
  '$1',
  '?',
  ':name',
  "' OR '1'='1",
  "'; DROP TABLE customers; --",
  '" OR ""="',
  '1; SELECT pg_sleep(0)',
  "x' UNION SELECT id FROM users --",
  '%_\\',
  "O'Brien",
  'a%b_c',
  '[a-z]*',
  '.*',
  '(?:',
] as const;

/** Unicode that tends to break things: NUL, controls, lone surrogates, bidi, BOM, astral. */
export const UNICODE_NASTIES = [
  '\u0000',
  'a\u0000b',
  '\u0001\u001f\u007f',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\u202e',
  '\ufeff',
  '\u200b',
  '\u2028\u2029',
  '\u00a0',
  'é',
  'É',
  'ß',
  'ﬀ',
  'İ',
  'ǅ',
  '日本語',
  '😀',
  '👩‍👩‍👧',
  'e\u0301',
  '\r\n',
  '\t',
  'Ω≈ç√',
] as const;

/** Numbers near every boundary that matters here (Int, SafeInt, BIGINT, double). */
export const HUGE_NUMBERS = [
  0,
  -0,
  -1,
  1.5,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  2 ** 63,
  2 ** 64,
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
] as const;

/** Numbers as text, including forms JSON.stringify never writes (and JSON.parse reads as ±Infinity). */
export const HUGE_NUMBER_TEXTS = [
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551616',
  '-9223372036854775809',
  '123456789012345678901234567890',
  '1e308',
  '1e309',
  '-1e309',
  '1E400',
  '0.0000000000000000000001',
  '1.0',
  '-0',
  '00',
  '01',
  '0x10',
  '1_000',
  ' 1 ',
  '+1',
  'NaN',
  'Infinity',
] as const;

const piece = fc.oneof(
  fc.constantFrom(...SQL_META),
  fc.constantFrom(...UNICODE_NASTIES),
  fc.constantFrom(...HUGE_NUMBER_TEXTS),
  fc.string({ maxLength: 6 }),
);

/** A short hostile string: metacharacters, unicode, numeric text, random code points. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', 'null', 'true', 'undefined', '[]', '{}', '[object Object]'),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', 'é', '%', '\u0000', '😀'), fc.integer({ min: 90, max: 400 }))
      .map(([c, n]) => c.repeat(n)),
  },
);

/** A hostile string for places where long values are interesting (≈ 0–100 KB). */
export const longString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', 'é', "'", '😀', 'x\u0000'), fc.constantFrom(101, 256, 1000, 16_400, 100_000))
  .map(([c, n]) => c.repeat(n));

/** A JSON value with hostile leaves (numbers, strings, nulls, booleans), a few levels deep. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.constantFrom(...HUGE_NUMBERS),
    fc.integer(),
    fc.constantFrom(null, true, false),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/**
 * A deeply nested JSON text (`{"a":{"a":…}}` or `[[[…]]]`), written by hand so that the
 * depth costs no recursion here.
 */
export function deepJsonText(depth: number, kind: 'object' | 'array', leaf = '1'): string {
  return kind === 'object'
    ? `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
}

/**
 * Percent-encodes a string as UTF-8 for a URL, whatever it holds (encodeURIComponent throws on
 * lone surrogates; TextEncoder writes them as U+FFFD).
 */
export function encodeComponent(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Oracles
// ---------------------------------------------------------------------------------------------

/** Every error code a REST client may see here (the contract's table, minus 5xx). */
export const REST_ERROR_CODES = new Set([
  'validation_error',
  'invalid_email',
  'invalid_user',
  'customer_not_found',
  'address_not_found',
  'route_not_found',
  'method_not_allowed',
  'unauthenticated',
  'insufficient_permissions',
  'invalid_nonce',
  'rate_limited',
  'payload_too_large',
]);

/** The HTTP status of each REST code. */
export const REST_STATUS: Record<string, number> = {
  validation_error: 422,
  invalid_email: 422,
  invalid_user: 422,
  customer_not_found: 404,
  address_not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  unauthenticated: 401,
  insufficient_permissions: 403,
  invalid_nonce: 403,
  rate_limited: 429,
  payload_too_large: 413,
};

/** Every `extensions.code` a GraphQL client may see here (no 5xx, no masked errors). */
export const GRAPHQL_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'QUERY_TOO_COMPLEX',
  'VALIDATION_ERROR',
  'INVALID_EMAIL',
  'INVALID_USER',
  'CUSTOMER_NOT_FOUND',
  'ADDRESS_NOT_FOUND',
  'INSUFFICIENT_PERMISSIONS',
  'RATE_LIMITED',
]);

/**
 * Text that only a leak of internals produces: stack frames, source or dependency paths,
 * Prisma's and PostgreSQL's error wording. None of the generated inputs contains these.
 */
const LEAK_PATTERNS: readonly RegExp[] = [
  /\n\s+at [^\n]+[:(]/, // a stack frame
  /\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)/,
  /node_modules|\/work\/|file:\/\/|src\/[\w/-]+\.ts\b|\.(?:ts|js|mjs):\d+/,
  /prisma|PrismaClient|\$queryRaw|Invalid `|driver adapter/i,
  /syntax error at or near|violates [\w -]*constraint|duplicate key value|invalid input syntax for|invalid byte sequence|unterminated quoted|(?:relation|column|function|operator|type|schema|database) "[^"]*" does not exist|SQLSTATE|pg_catalog|null value in column|value too long for type|out of range for type|stack depth limit|Maximum call stack/i,
  /\bERROR: {2}|\bFATAL: /, // PostgreSQL's own message prefixes
  /\b(?:TypeError|RangeError|ReferenceError|SyntaxError): /,
  /Unexpected error\./,
];

/** The first leak pattern the text matches, or null. */
export function leakIn(text: string): string | null {
  for (const pattern of LEAK_PATTERNS) {
    const m = pattern.exec(text);
    if (m) return `${pattern} matched ${JSON.stringify(text.slice(Math.max(0, m.index - 60), m.index + 80))}`;
  }
  return null;
}

/** Keeps a counterexample readable: long strings are cut. */
export function brief(value: unknown, max = 600): string {
  const text = JSON.stringify(value, (_k, v) =>
    typeof v === 'string' && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v,
  );
  return text === undefined ? String(value) : text.length > max ? `${text.slice(0, max)}…` : text;
}
