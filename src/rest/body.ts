/**
 * REST request bodies: read with a size limit enforced while reading (a declared
 * Content-Length over the limit is refused before reading), then parsed by content type.
 * - empty (or only whitespace) → `{}`;
 * - JSON when Content-Type is JSON or absent; it must be an object;
 * - `application/x-www-form-urlencoded` with bracket syntax;
 * - anything else is refused;
 * - a body nested deeper than MAX_NESTING (JSON, or a form's bracket keys) is refused: the
 *   router and the serializers behind it are recursive and would overflow the call stack.
 */
import { declaresTooLarge, MAX_BODY_BYTES, readLimited } from '../http/body-limit.js';
import { parseBracketParams } from './brackets.js';

/** Levels of objects and arrays a request's values may nest (the body object is level 1). */
export const MAX_NESTING = 512;

export type BodyResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; reason: 'too_large' }
  | { ok: false; reason: 'invalid'; message: string };

export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  if (declaresTooLarge(request, limit)) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'too_large' };
  }
  const bytes = await readLimited(request.body, limit);
  if (bytes === 'too_large') return { ok: false, reason: 'too_large' };

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'invalid', message: 'The request body is not valid UTF-8' };
  }
  if (text.trim() === '') return { ok: true, body: {} };

  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (
    mediaType === '' ||
    mediaType === 'application/json' ||
    /^application\/[\w.+-]+\+json$/.test(mediaType)
  ) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'invalid', message: 'The request body is not valid JSON' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, reason: 'invalid', message: 'The request body must be a JSON object' };
    }
    return nestedTooDeeply(parsed) ? tooDeep() : { ok: true, body: parsed as Record<string, unknown> };
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    const form = parseBracketParams(new URLSearchParams(text));
    return nestedTooDeeply(form) ? tooDeep() : { ok: true, body: form };
  }
  return {
    ok: false,
    reason: 'invalid',
    message: `Unsupported content type ${mediaType}: send application/json or application/x-www-form-urlencoded`,
  };
}

function tooDeep(): BodyResult {
  return {
    ok: false,
    reason: 'invalid',
    message: `The request body is nested more than ${MAX_NESTING} levels deep`,
  };
}

/** Whether objects and arrays nest deeper than `max` levels (iterative: any depth is fine). */
export function nestedTooDeeply(value: unknown, max = MAX_NESTING): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
