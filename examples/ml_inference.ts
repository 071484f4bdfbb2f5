/**
 * ML inference over Kafka: clients write requests, a model server answers each on a
 * responses topic, and a client matches answers to its requests by request id (a field,
 * echoed in a `correlation-id` header too).
 *
 *   deno run -A examples/ml_inference.ts     # memory:// and mock:// unless
 *   bun examples/ml_inference.ts             # KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL
 *   node --import tsx examples/ml_inference.ts  # name a real cluster
 */
import * as v from "valibot";
import { AsyncConsumerLoop, close, defineModel, headerText, type ModelOutput } from "../mod.ts";
import { connectExample } from "./example_connection.ts";

connectExample();
const run = Date.now();

const InferenceRequest = defineModel(
  "InferenceRequest",
  v.object({ request_id: v.string(), text: v.string() }),
  {
    topic: `inference-requests-${run}`,
    consumerGroup: `model-server-${run}`,
    keyField: "request_id",
  },
);
const InferenceResponse = defineModel(
  "InferenceResponse",
  v.object({
    request_id: v.string(),
    label: v.picklist(["positive", "negative"]),
    score: v.number(),
    model_version: v.string(),
  }),
  { topic: `inference-responses-${run}`, keyField: "request_id" },
);
type Response = ModelOutput<typeof InferenceResponse>;
await InferenceRequest.ensureTopic({ partitions: 3 });
await InferenceResponse.ensureTopic({ partitions: 3 });

// The "model": a tiny sentiment lexicon scored through a logistic function.
const weights: Record<string, number> = { great: 2, love: 2, fast: 1, slow: -1.5, broken: -2.5 };
function predict(text: string): { label: "positive" | "negative"; score: number } {
  const logit = text.toLowerCase().split(/\W+/).reduce((sum, w) => sum + (weights[w] ?? 0), 0);
  const p = 1 / (1 + Math.exp(-logit));
  return p >= 0.5 ? { label: "positive", score: p } : { label: "negative", score: 1 - p };
}

// The model server: answers requests concurrently.
const server = new AsyncConsumerLoop({
  model: InferenceRequest,
  maxConcurrent: 8,
  fromBeginning: true,
  handler: async (request) => {
    await InferenceResponse.produce(
      { request_id: request.request_id, ...predict(request.text), model_version: "lexicon-1" },
      { headers: { "correlation-id": request.request_id } },
    );
  },
});
const serving = server.run();

// The client: sends requests, then awaits each answer by id.
const texts = [
  "I love this, great product",
  "The app is slow and broken",
  "Fast delivery",
  "Broken on arrival",
  "great support, fast answers",
];
const pending = new Map<string, (response: Response) => void>();
const answers = texts.map((text, i) => {
  const request_id = `req-${run}-${i + 1}`;
  const answer = new Promise<Response>((resolve) => pending.set(request_id, resolve));
  return { request_id, text, answer };
});
const listening = (async () => {
  const responses = InferenceResponse.consume({ groupId: `client-${run}`, fromBeginning: true });
  for await (const message of responses) {
    if (message.tombstone) continue;
    if (headerText(message.headers, "correlation-id") !== message.value.request_id) {
      throw new Error(`response ${message.value.request_id} carries a different correlation-id`);
    }
    pending.get(message.value.request_id)?.(message.value);
    pending.delete(message.value.request_id);
    if (pending.size === 0) break;
  }
})();
await InferenceRequest.produceMany(answers.map(({ request_id, text }) => ({ request_id, text })));
console.log(`sent ${answers.length} requests to ${InferenceRequest.settings.topic}`);

for (const { request_id, text, answer } of answers) {
  const response = await answer;
  console.log(
    `${request_id.replace(`-${run}`, "")} "${text}" -> ${response.label} (${
      response.score.toFixed(2)
    }, ${response.model_version})`,
  );
}
await listening;
server.stop();
await serving;
console.log(`server answered ${server.stats.processed} requests`);
await close();
console.log("done");
