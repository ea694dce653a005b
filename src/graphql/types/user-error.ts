import type { AppError } from '../../errors.js';
import { builder } from '../builder.js';
import { ErrorCodeEnum } from './enums.js';

export interface UserErrorShape {
  code: AppError['code'];
  message: string;
  field: string | null;
}

export const UserErrorType = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'A business failure of a mutation: the caller can correct the input and retry.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, description: 'Machine-readable code.', resolve: (e) => e.code }),
    message: t.exposeString('message', { description: 'Human-readable explanation.' }),
    field: t.exposeString('field', {
      nullable: true,
      description: 'The camelCase input field it concerns ("email", "address1"), or null.',
    }),
  }),
});

/** The userErrors of a failed mutation: one per failing field, or one for the whole input. */
export function userErrorsOf(error: AppError): UserErrorShape[] {
  if (error.details.length > 0) {
    return error.details.map((d) => ({ code: error.code, message: d.message, field: d.field }));
  }
  return [{ code: error.code, message: error.message, field: error.field }];
}
