/**
 * The Valibot schemas that have an Avro form, typed with Valibot's own schema
 * types: the converters switch on `type` and TypeScript narrows each case to
 * its schema (its `wrapped`, `entries`, `options`, ... typed).
 */
import type * as v from "valibot";

/** Any synchronous Valibot schema: the items of objects, arrays, unions. */
export type AnySchema = v.BaseSchema<unknown, unknown, v.BaseIssue<unknown>>;

type Msg<I extends v.BaseIssue<unknown>> = v.ErrorMessage<I> | undefined;
// Valibot types pipe items' input as `any` itself; the converters only read their `type` and fields.
// deno-lint-ignore no-explicit-any
type AnyPipeItem = v.PipeItem<any, unknown, v.BaseIssue<unknown>>;

/** A schema's pipe (`v.pipe(schema, ...actions)`): the schema first, then its actions. */
export interface Piped {
  readonly pipe?: readonly [AnySchema, ...AnyPipeItem[]];
}

/** Object schemas: the records of Avro. */
export type ObjectLike =
  | v.ObjectSchema<v.ObjectEntries, Msg<v.ObjectIssue>>
  | v.StrictObjectSchema<v.ObjectEntries, Msg<v.StrictObjectIssue>>
  | v.LooseObjectSchema<v.ObjectEntries, Msg<v.LooseObjectIssue>>;

/** Wrappers that let a value be absent or null: `["null", T]` in Avro. */
export type Wrapper =
  | v.OptionalSchema<AnySchema, v.Default<AnySchema, undefined>>
  | v.ExactOptionalSchema<AnySchema, v.Default<AnySchema, never>>
  | v.NullableSchema<AnySchema, v.Default<AnySchema, null>>
  | v.NullishSchema<AnySchema, v.Default<AnySchema, null | undefined>>;

/** Every schema with an Avro form, piped or not. */
export type Convertible =
  & (
    | v.StringSchema<Msg<v.StringIssue>>
    | v.NumberSchema<Msg<v.NumberIssue>>
    | v.BigintSchema<Msg<v.BigintIssue>>
    | v.BooleanSchema<Msg<v.BooleanIssue>>
    | v.NullSchema<Msg<v.NullIssue>>
    | v.DateSchema<Msg<v.DateIssue>>
    | v.InstanceSchema<v.Class, Msg<v.InstanceIssue>>
    | v.PicklistSchema<v.PicklistOptions, Msg<v.PicklistIssue>>
    | v.EnumSchema<v.Enum, Msg<v.EnumIssue>>
    | v.LiteralSchema<v.Literal, Msg<v.LiteralIssue>>
    | Wrapper
    | v.ArraySchema<AnySchema, Msg<v.ArrayIssue>>
    | v.RecordSchema<
      v.BaseSchema<string, string | number | symbol, v.BaseIssue<unknown>>,
      AnySchema,
      Msg<v.RecordIssue>
    >
    | ObjectLike
    | v.UnionSchema<v.UnionOptions, Msg<v.UnionIssue<v.BaseIssue<unknown>>>>
    | v.VariantSchema<string, v.VariantOptions<string>, Msg<v.VariantIssue>>
    | v.LazySchema<AnySchema>
  )
  & Piped;

/**
 * A nested schema as a convertible one. Valibot types nested schemas as any
 * schema; which have an Avro form is decided by the converter's switch (the
 * rest throw a SchemaError naming them).
 */
export function convertible(schema: AnySchema | v.BaseSchema<never, unknown, never>): Convertible {
  return schema as unknown as Convertible;
}
