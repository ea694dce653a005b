/**
 * Request bodies are limited to 1 MiB on every surface (the contract's 413
 * `payload_too_large`): a declared Content-Length over the limit is refused before reading,
 * and a body without one (chunked) is cut off as soon as it passes the limit, so a client
 * cannot make the gateway buffer more than that.
 */
import type { Plugin } from 'graphql-yoga';
import { JSON_CONTENT_TYPE } from './responses.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Whether the request declares a body longer than `limit`. */
export function declaresTooLarge(request: Request, limit = MAX_BODY_BYTES): boolean {
  const declared = request.headers.get('content-length');
  return declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit;
}

/** Reads a body, giving up (and cancelling the stream) once it is longer than `limit`. */
export async function readLimited(
  stream: ReadableStream<Uint8Array> | null,
  limit = MAX_BODY_BYTES,
): Promise<Uint8Array | 'too_large'> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return 'too_large';
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The limit on GraphQL requests (yoga itself reads any size). A declared length within the
 * limit is trusted (Node's HTTP parser never reads past it); only bodies without one are
 * read here, then handed to yoga's own parser.
 */
export function useGraphQLBodyLimit(limit = MAX_BODY_BYTES): Plugin {
  // HTTP 413 with the code in GraphQL's envelope (the contract's `payload_too_large`).
  const tooLarge = () =>
    new Response(
      JSON.stringify({
        errors: [
          { message: `The request body is over ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } },
        ],
      }),
      { status: 413, headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store' } },
    );
  return {
    onRequestParse({ request, requestParser, setRequestParser, endResponse }) {
      if (request.method !== 'POST' || !requestParser) return;
      if (declaresTooLarge(request, limit)) {
        void request.body?.cancel().catch(() => undefined);
        endResponse(tooLarge());
        return;
      }
      if (request.headers.has('content-length')) return;
      setRequestParser(async (streamed) => {
        const bytes = await readLimited(streamed.body, limit);
        if (bytes === 'too_large') return tooLarge();
        return requestParser(
          new Request(streamed.url, {
            method: 'POST',
            headers: streamed.headers,
            body: bytes as Uint8Array<ArrayBuffer>,
          }),
        );
      });
    },
  };
}
