/*
 * The local stack's Schema Registry: Confluent's REST API for Avro schemas,
 * kept in memory, with compatibility decided by Apache Avro's own
 * SchemaCompatibility (the checker Confluent's registry uses). It exists
 * because no third-party registry server installs from the package registries
 * this project's machines reach; point SCHEMA_REGISTRY_URL at Confluent's,
 * Karapace or Apicurio to test against those instead.
 *
 * Run: java -cp "<avro and jackson jars>/*" SchemaRegistry.java [port]
 */
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

public final class SchemaRegistry {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Set<String> LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
      "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

  /** An error answered with Confluent's status and error code. */
  static final class ApiError extends RuntimeException {
    final int status;
    final int code;

    ApiError(int status, int code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  record Version(int version, int id, boolean deleted) {}

  /** Everything the registry knows; every method runs under the instance lock. */
  static final class Store {
    final Map<Integer, String> schemaById = new HashMap<>();
    final Map<String, Integer> idByCanonical = new HashMap<>();
    final Map<String, List<Version>> subjects = new TreeMap<>();
    final Map<String, String> subjectLevel = new HashMap<>();
    final Map<String, String> subjectMode = new HashMap<>();
    String globalLevel = "BACKWARD";
    String globalMode = "READWRITE";
    int nextId = 1;

    static Schema parse(String text) {
      try {
        return new Schema.Parser().parse(text);
      } catch (RuntimeException e) {
        throw new ApiError(422, 42201, "Invalid schema: " + e.getMessage());
      }
    }

    List<Version> live(String subject, boolean withDeleted) {
      List<Version> all = subjects.get(subject);
      if (all == null || (!withDeleted && all.stream().allMatch(Version::deleted))) {
        throw new ApiError(404, 40401, "Subject '" + subject + "' not found.");
      }
      return all.stream().filter(v -> withDeleted || !v.deleted()).toList();
    }

    Version version(String subject, String ref, boolean withDeleted) {
      List<Version> versions = live(subject, withDeleted);
      if (ref.equals("latest") || ref.equals("-1")) {
        if (versions.isEmpty()) throw new ApiError(404, 40402, "Version latest not found.");
        return versions.get(versions.size() - 1);
      }
      int number;
      try {
        number = Integer.parseInt(ref);
      } catch (NumberFormatException e) {
        throw new ApiError(422, 42202, "The specified version '" + ref + "' is not valid.");
      }
      return versions.stream().filter(v -> v.version() == number).findFirst()
          .orElseThrow(() -> new ApiError(404, 40402, "Version " + ref + " not found."));
    }

    String level(String subject) {
      return subjectLevel.getOrDefault(subject, globalLevel);
    }

    /** Messages explaining why `candidate` breaks `level` against the subject's versions; empty if none. */
    List<String> incompatibilities(String subject, Schema candidate, String level,
        List<Version> against) {
      List<String> messages = new ArrayList<>();
      if (level.equals("NONE") || against.isEmpty()) return messages;
      List<Version> targets = level.endsWith("_TRANSITIVE")
          ? against : List.of(against.get(against.size() - 1));
      boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
      boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
      for (Version target : targets) {
        Schema existing = parse(schemaById.get(target.id()));
        if (backward) explain(candidate, existing, "BACKWARD", target, messages);
        if (forward) explain(existing, candidate, "FORWARD", target, messages);
      }
      return messages;
    }

    static void explain(Schema reader, Schema writer, String direction, Version target,
        List<String> messages) {
      var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
      if (result.getCompatibility() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) return;
      for (var incompatibility : result.getIncompatibilities()) {
        messages.add(String.format("{errorType:'%s', description:'%s', location:'%s', "
            + "additionalInfo:'%s'} (%s against version %d)", incompatibility.getType(),
            incompatibility.getMessage(), incompatibility.getLocation(), direction, direction,
            target.version()));
      }
    }

    synchronized ObjectNode register(String subject, JsonNode body) {
      String text = schemaText(body);
      String mode = subjectMode.getOrDefault(subject, globalMode);
      if (mode.equals("READONLY")) {
        throw new ApiError(422, 42205, "Subject " + subject + " is in read-only mode");
      }
      Schema schema = parse(text);
      String canonical = schema.toString();
      List<Version> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
      for (Version v : versions) {
        if (!v.deleted() && schemaById.get(v.id()).equals(canonical)) return idNode(v.id());
      }
      List<Version> active = versions.stream().filter(v -> !v.deleted()).toList();
      List<String> problems = incompatibilities(subject, schema, level(subject), active);
      if (!problems.isEmpty()) {
        if (versions.isEmpty()) subjects.remove(subject);
        throw new ApiError(409, 409, "Schema being registered is incompatible with an earlier "
            + "schema for subject \"" + subject + "\", details: " + String.join(", ", problems));
      }
      int id = idByCanonical.computeIfAbsent(canonical, c -> {
        schemaById.put(nextId, c);
        return nextId++;
      });
      int number = versions.stream().mapToInt(Version::version).max().orElse(0) + 1;
      versions.add(new Version(number, id, false));
      return idNode(id);
    }

    synchronized ObjectNode lookup(String subject, JsonNode body, boolean withDeleted) {
      String canonical = parse(schemaText(body)).toString();
      for (Version v : live(subject, withDeleted)) {
        if (schemaById.get(v.id()).equals(canonical)) return versionNode(subject, v);
      }
      throw new ApiError(404, 40403, "Schema not found");
    }

    synchronized ObjectNode test(String subject, String ref, JsonNode body, String level) {
      Schema candidate = parse(schemaText(body));
      List<Version> against;
      if (!subjects.containsKey(subject) || live(subject, true).stream().allMatch(Version::deleted)) {
        against = List.of();
      } else if (ref == null) {
        against = live(subject, false);
      } else {
        Version target = version(subject, ref, false);
        List<Version> active = live(subject, false);
        against = level.endsWith("_TRANSITIVE")
            ? active.stream().filter(v -> v.version() <= target.version()).toList()
            : List.of(target);
      }
      List<String> messages = incompatibilities(subject, candidate, level, against);
      ObjectNode node = JSON.createObjectNode().put("is_compatible", messages.isEmpty());
      ArrayNode list = node.putArray("messages");
      messages.forEach(list::add);
      return node;
    }

    synchronized ArrayNode deleteSubject(String subject, boolean permanent) {
      List<Version> all = subjects.get(subject);
      if (all == null) throw new ApiError(404, 40401, "Subject '" + subject + "' not found.");
      ArrayNode deleted = JSON.createArrayNode();
      if (permanent) {
        if (all.stream().anyMatch(v -> !v.deleted())) {
          throw new ApiError(404, 40405, "Subject '" + subject
              + "' was not deleted first before being permanently deleted");
        }
        all.forEach(v -> deleted.add(v.version()));
        subjects.remove(subject);
        subjectLevel.remove(subject);
        subjectMode.remove(subject);
        return deleted;
      }
      if (all.stream().allMatch(Version::deleted)) {
        throw new ApiError(404, 40404, "Subject '" + subject + "' was soft deleted.");
      }
      for (int i = 0; i < all.size(); i++) {
        Version v = all.get(i);
        if (!v.deleted()) {
          all.set(i, new Version(v.version(), v.id(), true));
          deleted.add(v.version());
        }
      }
      return deleted;
    }

    synchronized int deleteVersion(String subject, String ref, boolean permanent) {
      Version target = version(subject, ref, permanent);
      List<Version> all = subjects.get(subject);
      if (permanent) {
        if (!target.deleted()) {
          throw new ApiError(404, 40407, "Subject '" + subject + "' Version " + target.version()
              + " was not deleted first before being permanently deleted");
        }
        all.remove(target);
        if (all.isEmpty()) subjects.remove(subject);
      } else {
        all.set(all.indexOf(target), new Version(target.version(), target.id(), true));
      }
      return target.version();
    }

    ObjectNode versionNode(String subject, Version v) {
      return JSON.createObjectNode().put("subject", subject).put("version", v.version())
          .put("id", v.id()).put("schema", schemaById.get(v.id()));
    }

    static ObjectNode idNode(int id) {
      return JSON.createObjectNode().put("id", id);
    }

    static String schemaText(JsonNode body) {
      if (body == null || !body.hasNonNull("schema")) {
        throw new ApiError(422, 42201, "Request body needs a 'schema' string");
      }
      String type = body.path("schemaType").asText("AVRO");
      if (!type.equals("AVRO")) {
        throw new ApiError(422, 42201, "Only AVRO schemas are supported here, not " + type);
      }
      if (body.path("references").size() > 0) {
        throw new ApiError(422, 42201, "Schema references are not supported by this registry");
      }
      return body.get("schema").asText();
    }
  }

  final Store store = new Store();

  Object route(String method, List<String> path, Map<String, String> query, JsonNode body) {
    boolean deleted = "true".equals(query.get("deleted"));
    boolean permanent = "true".equals(query.get("permanent"));
    String head = path.isEmpty() ? "" : path.get(0);
    int size = path.size();
    synchronized (store) {
      switch (head) {
        case "":
          return JSON.createObjectNode();
        case "schemas":
          if (size == 1 && method.equals("GET")) {
            ArrayNode all = JSON.createArrayNode();
            store.schemaById.forEach((id, s) -> all.add(JSON.createObjectNode().put("id", id)
                .put("schema", s)));
            return all;
          }
          if (size == 2 && path.get(1).equals("types")) {
            return JSON.createArrayNode().add("AVRO");
          }
          if (size >= 3 && path.get(1).equals("ids")) {
            int id = parseId(path.get(2));
            String schema = store.schemaById.get(id);
            if (schema == null) throw new ApiError(404, 40403, "Schema " + id + " not found");
            if (size == 3) return JSON.createObjectNode().put("schema", schema);
            if (size == 4 && path.get(3).equals("schema")) return schema;
            if (size == 4 && (path.get(3).equals("versions") || path.get(3).equals("subjects"))) {
              ArrayNode out = JSON.createArrayNode();
              store.subjects.forEach((subject, versions) -> versions.stream()
                  .filter(v -> v.id() == id && (deleted || !v.deleted()))
                  .forEach(v -> {
                    if (path.get(3).equals("subjects")) out.add(subject);
                    else out.add(JSON.createObjectNode().put("subject", subject)
                        .put("version", v.version()));
                  }));
              return out;
            }
          }
          break;
        case "subjects":
          if (size == 1 && method.equals("GET")) {
            ArrayNode out = JSON.createArrayNode();
            String prefix = query.getOrDefault("subjectPrefix", "");
            store.subjects.forEach((subject, versions) -> {
              boolean visible = deleted || versions.stream().anyMatch(v -> !v.deleted());
              if (visible && subject.startsWith(prefix)) out.add(subject);
            });
            return out;
          }
          if (size < 2) break;
          String subject = path.get(1);
          if (size == 2 && method.equals("POST")) return store.lookup(subject, body, deleted);
          if (size == 2 && method.equals("DELETE")) return store.deleteSubject(subject, permanent);
          if (size == 3 && path.get(2).equals("versions")) {
            if (method.equals("POST")) return store.register(subject, body);
            ArrayNode out = JSON.createArrayNode();
            store.live(subject, deleted).forEach(v -> out.add(v.version()));
            return out;
          }
          if (size >= 4 && path.get(2).equals("versions")) {
            if (size == 4 && method.equals("DELETE")) {
              return store.deleteVersion(subject, path.get(3), permanent);
            }
            Version v = store.version(subject, path.get(3), deleted);
            if (size == 4) return store.versionNode(subject, v);
            if (size == 5 && path.get(4).equals("schema")) return store.schemaById.get(v.id());
          }
          break;
        case "config":
        case "mode":
          return settings(head, method, size == 2 ? path.get(1) : null, query, body);
        case "compatibility":
          if (size >= 4 && path.get(1).equals("subjects") && path.get(3).equals("versions")) {
            String subjectName = path.get(2);
            String level = query.containsKey("level") ? query.get("level").toUpperCase()
                : store.level(subjectName);
            if (!LEVELS.contains(level)) {
              throw new ApiError(422, 42203, "Invalid compatibility level " + level);
            }
            return store.test(subjectName, size == 5 ? path.get(4) : null, body, level);
          }
          break;
        default:
          break;
      }
    }
    throw new ApiError(404, 404, "HTTP 404 Not Found");
  }

  Object settings(String kind, String method, String subject, Map<String, String> query,
      JsonNode body) {
    boolean config = kind.equals("config");
    Map<String, String> perSubject = config ? store.subjectLevel : store.subjectMode;
    String field = config ? "compatibilityLevel" : "mode";
    String bodyField = config ? "compatibility" : "mode";
    switch (method) {
      case "GET": {
        String value = subject == null ? (config ? store.globalLevel : store.globalMode)
            : perSubject.get(subject);
        if (value == null && "true".equals(query.get("defaultToGlobal"))) {
          value = config ? store.globalLevel : store.globalMode;
        }
        if (value == null) {
          throw new ApiError(404, config ? 40408 : 40409, "Subject '" + subject + "' does not "
              + "have subject-level " + (config ? "compatibility" : "mode") + " configured");
        }
        return JSON.createObjectNode().put(field, value);
      }
      case "PUT": {
        String value = body == null ? "" : body.path(bodyField).asText("").toUpperCase();
        boolean valid = config ? LEVELS.contains(value)
            : Set.of("READWRITE", "READONLY", "IMPORT").contains(value);
        if (!valid) {
          throw new ApiError(422, config ? 42203 : 42204, "Invalid " + bodyField + " " + value);
        }
        if (subject == null) {
          if (config) store.globalLevel = value;
          else store.globalMode = value;
        } else {
          perSubject.put(subject, value);
        }
        return JSON.createObjectNode().put(bodyField, value);
      }
      case "DELETE": {
        String previous = subject == null ? null : perSubject.remove(subject);
        if (subject == null) {
          previous = config ? store.globalLevel : store.globalMode;
          if (config) store.globalLevel = "BACKWARD";
          else store.globalMode = "READWRITE";
        }
        return JSON.createObjectNode().put(field, previous == null ? "" : previous);
      }
      default:
        throw new ApiError(405, 405, "HTTP 405 Method Not Allowed");
    }
  }

  static int parseId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ApiError(404, 40403, "Schema " + text + " not found");
    }
  }

  void handle(HttpExchange exchange) throws IOException {
    int status = 200;
    Object result;
    try {
      String raw = exchange.getRequestURI().getRawPath();
      List<String> path = new ArrayList<>();
      for (String part : raw.split("/")) {
        if (!part.isEmpty()) path.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
      }
      Map<String, String> query = new LinkedHashMap<>();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      if (rawQuery != null) {
        for (String pair : rawQuery.split("&")) {
          int eq = pair.indexOf('=');
          String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          query.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      byte[] input = exchange.getRequestBody().readAllBytes();
      JsonNode body;
      try {
        body = input.length == 0 ? null : JSON.readTree(input);
      } catch (IOException e) {
        throw new ApiError(400, 400, "Unrecognized JSON: " + e.getMessage());
      }
      result = route(exchange.getRequestMethod(), path, query, body);
    } catch (ApiError e) {
      status = e.status;
      result = JSON.createObjectNode().put("error_code", e.code).put("message", e.getMessage());
    } catch (RuntimeException e) {
      status = 500;
      result = JSON.createObjectNode().put("error_code", 50001).put("message", String.valueOf(e));
    }
    byte[] output = (result instanceof String s ? JSON.writeValueAsString(s)
        : JSON.writeValueAsString(result)).getBytes(StandardCharsets.UTF_8);
    if (result instanceof String s && exchange.getRequestURI().getPath().endsWith("/schema")) {
      output = s.getBytes(StandardCharsets.UTF_8);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, output.length);
    exchange.getResponseBody().write(output);
    exchange.close();
  }

  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
    SchemaRegistry registry = new SchemaRegistry();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.createContext("/", exchange -> registry.handle(exchange));
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.out.println("Schema Registry listening on http://127.0.0.1:" + port);
  }
}
