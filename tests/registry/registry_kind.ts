/**
 * Which Schema Registry the tests talk to, for the few behaviours only one of
 * them has. Tests of such behaviour run where it exists and are skipped
 * elsewhere with {@link needsConfluent}'s reason, never counted as passed.
 */
import { registryUrl } from "../support.ts";

/** The registries this suite tells apart. */
export type RegistryKind = "confluent" | "apicurio" | "other";

async function answers(url: string, test: (body: Record<string, unknown>) => boolean) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) {
      await response.body?.cancel();
      return false;
    }
    return test(await response.json());
  } catch {
    return false;
  }
}

async function detect(url: string): Promise<RegistryKind> {
  const origin = new URL(url).origin;
  if (
    await answers(
      `${origin}/apis/registry/v3/system/info`,
      (info) => String(info.name).includes("Apicurio"),
    )
  ) return "apicurio";
  // Confluent's registry (7.x) names its cluster at /v1/metadata/id; the others do not serve it.
  if (await answers(`${url}/v1/metadata/id`, (meta) => "scope" in meta || "id" in meta)) {
    return "confluent";
  }
  return "other";
}

/** The kind of the registry at SCHEMA_REGISTRY_URL (the stack's Apicurio by default). */
export const registryKind: RegistryKind = await detect(registryUrl());

/**
 * `skip` for a live test of behaviour only Confluent's registry has: false on
 * Confluent's, else the reason naming the registry it needs.
 */
export function needsConfluent(what: string): string | false {
  return registryKind === "confluent" ? false : `${what} needs Confluent's Schema Registry ` +
    `(SCHEMA_REGISTRY_URL at cp-schema-registry, see compose.yaml); ${registryUrl()} is ${
      registryKind === "apicurio" ? "Apicurio Registry" : "another registry"
    }`;
}
