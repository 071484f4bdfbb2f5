/**
 * Registry subject names of a model's value and key, by Confluent's naming
 * strategies.
 */
import type { ModelSettings } from "./model.ts";

/** The subject of a model's value or key schema; `name` is that record's name. */
export function subjectOf(name: string, settings: ModelSettings, role: "value" | "key"): string {
  if (settings.schemaSubject && role === "value") return settings.schemaSubject;
  const fullName = settings.namespace ? `${settings.namespace}.${name}` : name;
  switch (settings.subjectStrategy ?? "topic") {
    case "topic":
      return `${settings.topic}-${role}`;
    case "record":
      return fullName;
    case "topicRecord":
      return `${settings.topic}-${fullName}`;
  }
}
