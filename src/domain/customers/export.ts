/**
 * Customer exports: RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma,
 * quote, CR or LF, quotes doubled) or a JSON array of full REST customer objects.
 */
import type { Customer } from '../../generated/prisma/client.js';
import { formatDateTime } from '../../graphql/builder.js';
import { customerRowAsGraphQL, restCustomer } from '../../rest/representations.js';

export type ExportFormat = 'CSV' | 'JSON';

export interface CustomerExport {
  format: ExportFormat;
  contentType: string;
  content: string;
}

export const CSV_HEADER = [
  'id',
  'email',
  'first_name',
  'last_name',
  'phone',
  'status',
  'total_spent',
  'order_count',
  'created_at',
  'updated_at',
] as const;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvRecord(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export function customersToCsv(rows: readonly Customer[]): string {
  const lines = rows.map((c) =>
    csvRecord([
      String(c.id),
      c.email,
      c.firstName,
      c.lastName,
      c.phone ?? '',
      c.status.toLowerCase(),
      String(c.totalSpent),
      String(c.orderCount),
      formatDateTime(c.createdAt),
      formatDateTime(c.updatedAt),
    ]),
  );
  return csvRecord(CSV_HEADER) + lines.join('');
}

export function customersToJson(rows: readonly Customer[]): string {
  return JSON.stringify(rows.map((row) => restCustomer(customerRowAsGraphQL(row))));
}

export function exportCustomers(rows: readonly Customer[], format: ExportFormat): CustomerExport {
  return format === 'CSV'
    ? { format, contentType: 'text/csv; charset=utf-8', content: customersToCsv(rows) }
    : { format, contentType: 'application/json', content: customersToJson(rows) };
}
