// Loads every type module (each registers its types and root fields), then builds the schema.
import { builder } from './builder.js';
import './types/enums.js';
import './types/pagination.js';
import './types/user-error.js';
import './types/user.js';

export const schema = builder.toSchema({ sortSchema: false });
