/**
 * Unions, variants and lazy schemas: which option Valibot would take, so
 * that a value is only passed when Valibot would pass it through that same
 * option.
 */
import type { AnySchema } from "../../avro/valibot_to_avro/schema_types.ts";
import { type CheckContext, type CompiledCheck, Unsupported } from "./check.ts";
import { compileNode, type SchemaNode } from "./compile_node.ts";

/**
 * `v.union`: Valibot takes the first option that succeeds, so an option's
 * `true` counts only when every option before it refused for certain.
 */
export function unionCheck(node: SchemaNode, context: CheckContext): CompiledCheck {
  const options = (node.options as AnySchema[]).map((option) => compileNode(option, context));
  return {
    check: (value) => {
      for (const option of options) {
        if (option.check(value)) return true;
        if (!option.exact) return false;
      }
      return false;
    },
    exact: options.every((option) => option.exact),
  };
}

/**
 * `v.variant` of objects: Valibot parses the first option whose discriminator
 * matches and keeps its result, so only that option decides. Nested variants
 * are left to Valibot.
 */
export function variantCheck(node: SchemaNode, context: CheckContext): CompiledCheck {
  const key = node.key as string;
  const options = (node.options as SchemaNode[]).map((option) => {
    const entries = option.entries as Record<string, AnySchema> | undefined;
    if (option.type === "variant" || !entries?.[key]) throw new Unsupported("nested v.variant()");
    const discriminator = compileNode(entries[key], context);
    if (!discriminator.exact) throw new Unsupported("a variant discriminator with a default");
    return {
      matches: discriminator.check,
      check: compileNode(option as unknown as AnySchema, context).check,
    };
  });
  return {
    check: (value) => {
      if (!value || typeof value !== "object" || !(key in value)) return false;
      const tag = (value as Record<string, unknown>)[key];
      for (const option of options) if (option.matches(tag)) return option.check(value);
      return false;
    },
    exact: false,
  };
}

/** `v.lazy`: the schema its getter returns for this value, compiled on first use. */
export function lazyCheck(node: SchemaNode, context: CheckContext): CompiledCheck {
  const getter = node.getter as (value: unknown) => AnySchema;
  return {
    check: (value) => {
      try {
        return compileNode(getter(value), context).check(value);
      } catch (error) {
        if (error instanceof Unsupported) return false;
        throw error;
      }
    },
    exact: false,
  };
}
