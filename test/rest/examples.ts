/**
 * The example requests of the documented Customers API (test/fixtures/customers-api.txt, a
 * copy of shared/spec/customers-api.txt): title, documented operation, the curl command's
 * method, path and body (concrete emails for the obfuscated ones), and the documented
 * response.
 */
import { readFileSync } from 'node:fs';

export interface Example {
  title: string;
  /** The documented operation, e.g. `GET /customers/{customerId}`. */
  operation: string;
  method: string;
  path: string;
  body: unknown;
  /** The section's "Request Body" example, when it has one. */
  documentedBody: unknown;
  response: unknown;
}

/** The JSON object that starts at `start` (the examples hold no braces inside strings). */
function objectAt(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unbalanced JSON in the examples');
}

const OBFUSCATED_EMAIL = '[email protected]';

export function readExamples(): Example[] {
  const text = readFileSync(new URL('../fixtures/customers-api.txt', import.meta.url), 'utf8');
  const parts = text.split('\nExample Request\nbash\n');
  return parts.slice(1).map((curl, i) => {
    const before = parts[i]!;
    const lines = before.split('\n');
    const opIndex = lines.findLastIndex((l) => /^(GET|POST|PUT|DELETE) \/customers/.test(l));
    const responseText = before.slice(before.lastIndexOf('Response\njson\n') + 'Response\njson\n'.length);
    const command = /curl -X (\w+) "([^"]+)"/.exec(curl);
    if (!command) throw new Error(`no curl command in example ${i + 1}`);
    const data = /-d '([\s\S]*?)'/.exec(curl.split('\n\n')[0] ?? curl);
    const url = new URL(command[2]!);
    const section = lines.slice(opIndex).join('\n');
    const requestAt = section.indexOf('Request Body\njson\n');
    const documentedBody =
      requestAt < 0
        ? undefined
        : JSON.parse(
            objectAt(section, section.indexOf('{', requestAt)).replaceAll(
              OBFUSCATED_EMAIL,
              'jane.smith@example.com',
            ),
          );
    return {
      title: lines[opIndex - 1] ?? `example ${i + 1}`,
      operation: lines[opIndex]!,
      method: command[1]!,
      path: url.pathname + url.search,
      body: data ? JSON.parse(data[1]!.replaceAll(OBFUSCATED_EMAIL, 'jane.smith@example.com')) : undefined,
      documentedBody,
      response: JSON.parse(responseText),
    };
  });
}
