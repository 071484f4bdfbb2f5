/**
 * The Standard Schema interface (standardschema.dev), stated here so public
 * signatures name a type of this package. Valibot schemas implement it.
 */

/** A schema any Standard Schema library can produce; Valibot's do. */
export interface StandardSchema<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly "~standard": {
    /** Version of the Standard Schema spec. */
    readonly version: 1;
    /** The library, e.g. `valibot`. */
    readonly vendor: string;
    /** Validates a value. */
    readonly validate: (value: unknown) => unknown;
    /** Phantom types for inference. */
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** The output type of a Standard Schema. */
export type InferSchemaOutput<S extends StandardSchema> = NonNullable<
  S["~standard"]["types"]
>["output"];
