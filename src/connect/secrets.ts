/**
 * Which connector settings are secrets, and their masked form: a connector's
 * config is printed by `flowodm connect`, and passwords must never be.
 *
 * @module
 */

// Key names that hold credentials in Connect, Debezium, JDBC and cloud connectors.
const secretKey =
  /(password|passwd|secret|token|credentials?|api[._-]?key|private[._-]?key|jaas\.config|basic\.auth\.user\.info|access[._-]?key)/i;

/** True when the config key names a secret. */
export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** The config with every secret value replaced by `***` (Connect's externalised `${...}` references stay). */
export function maskConfig(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map((
      [key, value],
    ) => [key, isSecretKey(key) && !/^\$\{.*\}$/.test(value) && value !== "" ? "***" : value]),
  );
}

/** The secret values of a config, to mask wherever they might be quoted. */
export function secretValues(config: Readonly<Record<string, string>>): string[] {
  return Object.entries(config)
    .filter(([key, value]) => isSecretKey(key) && value.length >= 3 && !/^\$\{.*\}$/.test(value))
    .map(([, value]) => value);
}
