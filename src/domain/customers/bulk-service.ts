/**
 * Bulk actions over 1–1000 distinct customer ids. Request-level faults (empty, oversized or
 * malformed id list, missing status) reject the whole request; otherwise every id is handled
 * on its own (its own statement, hence its own transaction) and reported in `results` in the
 * order first sent. Unknown ids fail with CUSTOMER_NOT_FOUND.
 */
import { customerNotFound, type ErrorCode } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { CustomerStatus } from '../../generated/prisma/enums.js';
import { isWellFormedId, type ParsedId, parseId } from '../ids.js';
import { type CustomerExport, type ExportFormat, exportCustomers } from './export.js';
import { Failures } from './validation.js';

export const BULK_MAX_IDS = 1000;

export type BulkAction = 'UPDATE_STATUS' | 'DELETE' | 'EXPORT';

export interface BulkActionInput {
  action: BulkAction;
  customerIds: readonly (string | number)[];
  status?: CustomerStatus | null;
  format?: ExportFormat | null;
}

export interface BulkResult {
  customerId: string;
  success: boolean;
  error: { code: ErrorCode; message: string; field: string | null } | null;
}

export interface BulkOutcome {
  processed: number;
  failed: number;
  results: BulkResult[];
  export: CustomerExport | null;
}

/** The distinct ids of a request in first-seen order, as sent (decimal strings). */
function distinct(customerIds: readonly (string | number)[]): string[] {
  return [...new Set(customerIds.map(String))];
}

/**
 * What a bulk action costs against the rate limit: its number of distinct ids (at least 1).
 * Never throws, so it can be computed before the limiter, whatever the list holds.
 */
export function bulkActionCost(customerIds: readonly (string | number)[]): number {
  return Math.max(1, distinct(customerIds).length);
}

function checkCustomerIds(failures: Failures, customerIds: readonly (string | number)[]): string[] {
  const ids = distinct(customerIds);
  const malformed = ids.find((id) => !isWellFormedId(id));
  if (malformed !== undefined) {
    failures.add('customerIds', `must be positive integer ids ("${malformed}" is not)`);
  } else if (ids.length === 0 || ids.length > BULK_MAX_IDS) {
    failures.add('customerIds', `must list 1 to ${BULK_MAX_IDS} distinct ids`);
  }
  return ids;
}

export async function runCustomerBulkAction(
  prisma: PrismaClient,
  input: BulkActionInput,
): Promise<BulkOutcome> {
  const failures = new Failures();
  const sentIds = checkCustomerIds(failures, input.customerIds);
  const { status } = input;
  if (input.action === 'UPDATE_STATUS' && !status) failures.add('status', 'is required for UPDATE_STATUS');
  failures.throwIfAny();
  const ids = sentIds.map((sent) => ({ sent, id: parseId(sent, 'customerIds') }));
  switch (input.action) {
    case 'UPDATE_STATUS': {
      const dbStatus = status!.toLowerCase(); // the enum's database label
      return eachCustomer(
        ids,
        (id) =>
          prisma.$executeRaw`
          UPDATE customers SET status = ${dbStatus}::customer_status, updated_at = now() WHERE id = ${id}`,
      );
    }
    case 'DELETE':
      // Addresses go with the customer (ON DELETE CASCADE); orders stay, customer_id null.
      return eachCustomer(ids, async (id) => (await prisma.customer.deleteMany({ where: { id } })).count);
    case 'EXPORT': {
      const wanted = ids.flatMap(({ id }) => (id === 'out-of-range' ? [] : [id]));
      const rows = await prisma.customer.findMany({ where: { id: { in: wanted } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      const outcome = await eachCustomer(ids, async (id) => (byId.has(id) ? 1 : 0));
      const found = wanted.flatMap((id) => byId.get(id) ?? []);
      return { ...outcome, export: exportCustomers(found, input.format ?? 'JSON') };
    }
  }
}

/** Runs `apply` per id (it returns the number of rows touched) and reports each. */
async function eachCustomer(
  ids: readonly { sent: string; id: ParsedId }[],
  apply: (id: bigint) => Promise<number>,
): Promise<BulkOutcome> {
  const results: BulkResult[] = [];
  for (const { sent, id } of ids) {
    const touched = id === 'out-of-range' ? 0 : await apply(id);
    if (touched > 0) {
      results.push({ customerId: sent, success: true, error: null });
    } else {
      const error = customerNotFound(sent);
      results.push({
        customerId: sent,
        success: false,
        error: { code: error.code, message: error.message, field: null },
      });
    }
  }
  const processed = results.filter((r) => r.success).length;
  return { processed, failed: results.length - processed, results, export: null };
}
