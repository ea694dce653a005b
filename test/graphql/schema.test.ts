/**
 * The printed schema is committed (schema.graphql) and contains the whole GraphQL contract
 * (test/fixtures/contract-schema.graphql, a copy of shared/spec/contract-schema.graphql):
 * every type, field, argument with its default, and enum value, with the same types.
 */
import { readFile } from 'node:fs/promises';
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, schemaFile } from '../../src/graphql/print.js';
import { schema } from '../../src/graphql/schema.js';

const contract = buildSchema(
  await readFile(new URL('../fixtures/contract-schema.graphql', import.meta.url), 'utf8'),
);

function userTypes(s: typeof contract): GraphQLNamedType[] {
  return Object.values(s.getTypeMap()).filter((t) => !t.name.startsWith('__'));
}

function defaultOf(arg: GraphQLArgument | GraphQLInputField): unknown {
  return arg.defaultValue;
}

describe('schema.graphql', () => {
  it('is the printed schema (run `npm run schema:print` when this fails)', async () => {
    expect(await readFile(schemaFile, 'utf8')).toBe(printedSchema());
  });
});

describe('the GraphQL contract', () => {
  for (const expected of userTypes(contract)) {
    it(`has ${expected.name} as in the contract`, () => {
      const actual = schema.getType(expected.name);
      expect(actual, `type ${expected.name}`).toBeDefined();
      expect(actual?.constructor.name).toBe(expected.constructor.name);
      if (isEnumType(expected) && isEnumType(actual)) {
        const values = actual.getValues().map((v) => v.name);
        for (const v of expected.getValues()) expect(values).toContain(v.name);
      }
      if (
        (isObjectType(expected) && isObjectType(actual)) ||
        (isInputObjectType(expected) && isInputObjectType(actual))
      ) {
        const actualFields = actual.getFields() as Record<
          string,
          GraphQLField<unknown, unknown> | GraphQLInputField
        >;
        for (const [name, field] of Object.entries(expected.getFields())) {
          const got = actualFields[name];
          expect(got, `${expected.name}.${name}`).toBeDefined();
          expect(String(got?.type), `${expected.name}.${name} type`).toBe(String(field.type));
          if ('args' in field && got && 'args' in got) {
            for (const arg of field.args) {
              const gotArg = got.args.find((a) => a.name === arg.name);
              expect(gotArg, `${expected.name}.${name}(${arg.name})`).toBeDefined();
              expect(String(gotArg?.type)).toBe(String(arg.type));
              expect(defaultOf(gotArg!), `${expected.name}.${name}(${arg.name}) default`).toEqual(
                defaultOf(arg),
              );
            }
          }
          if (!('args' in field)) {
            expect(defaultOf(got as GraphQLInputField), `${expected.name}.${name} default`).toEqual(
              defaultOf(field as GraphQLInputField),
            );
          }
        }
      }
    });
  }

  it('describes every type, field and argument', () => {
    const missing: string[] = [];
    for (const type of userTypes(schema)) {
      if (isScalarType(type) && ['String', 'Int', 'Boolean', 'ID', 'Float'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const v of type.getValues()) if (!v.description) missing.push(`${type.name}.${v.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
