// Loads every type module (each registers its types and root fields), then builds the schema.
// Index files load modules and export no values but the schema.
import { builder } from './builder.js';
import './types/enums.js';
import './types/pagination.js';
import './types/user-error.js';
import './types/user.js';
import './types/customer.js';
import './types/address.js';
import './types/order.js';
import './types/stats.js';
import './types/connection.js';
import './types/customer-queries.js';
import './types/payloads.js';
import './types/customer-mutations.js';
import './types/address-mutations.js';
import './types/bulk-mutations.js';

export const schema = builder.toSchema({ sortSchema: false });
