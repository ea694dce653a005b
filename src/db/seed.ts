import type { Database } from './database.js';

export interface SeedSummary {
  users: number;
  customers: number;
  addresses: number;
  orders: number;
}

/** The deterministic demo set seeded on first start. */
export async function seedDemo(_db: Database): Promise<SeedSummary> {
  throw new Error('seedDemo: being written');
}
