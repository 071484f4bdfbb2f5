"""The Python FlowODM (PyPI `flowodm`) on the benchmark record.

  python bench/flowodm_py.py produce --messages N --schema-file order.avsc
  python bench/flowodm_py.py consume --messages N --topic T

`produce` creates a fresh topic, registers the record's schema under
`<topic>-value` (the FlowODM model reads it back from the registry, as it does
for schemas it cannot generate: nested records and arrays), builds the Pydantic
models, then times `produce_many` until every record is acknowledged.
`consume` times `consume_iter` over a prepared topic from its first message.
Prints one JSON line, like the TypeScript scenarios.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from datetime import datetime, timezone
from typing import Optional

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka.schema_registry import Schema
from pydantic import BaseModel

import flowodm
from flowodm import FlowBaseModel
from flowodm.connection import get_kafka_connection, get_schema_registry

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
REGISTRY = os.environ.get("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7")
POOL = 1000
PARTITIONS = 3
# The same producer settings as every librdkafka client of the benchmark (bench/common.ts).
PRODUCER = {
    "acks": "all",
    "enable.idempotence": True,
    "linger.ms": 5,
    "batch.num.messages": 10000,
    "queue.buffering.max.messages": 1000000,
    "compression.type": "none",
}
FILLER = ("lorem ipsum dolor sit amet consectetur adipiscing elit " * 17)[:890]


class Shipping(BaseModel):
    street: str
    city: str
    postcode: str
    country: str


def model_class(topic: str, group: str | None = None) -> type[FlowBaseModel]:
    class BenchOrder(FlowBaseModel):
        order_id: str
        customer_id: str
        email: str
        status: str
        quantity: int
        version: int
        amount: float
        tax: float
        placed_at: datetime
        coupon: Optional[str] = None
        tags: list[str]
        shipping: Shipping
        description: str

        class Settings:
            pass

    BenchOrder.Settings.topic = topic
    BenchOrder.Settings.schema_subject = f"{topic}-value"
    BenchOrder.Settings.key_field = "order_id"
    BenchOrder.Settings.consumer_group = group
    return BenchOrder


def order(model: type[FlowBaseModel], i: int) -> FlowBaseModel:
    """Record i, equal to bench/record.ts order(i)."""
    return model(
        order_id=f"order-{i:08d}",
        customer_id=f"customer-{i % 977}",
        email=f"buyer{i}@example.com",
        status=["placed", "paid", "shipped", "delivered"][i % 4],
        quantity=1 + i % 50,
        version=1 + i % 7,
        amount=10 + (i % 1000) * 1.25,
        tax=(i % 100) * 0.19,
        placed_at=datetime.fromtimestamp((1_700_000_000_000 + i * 1000) / 1000, tz=timezone.utc),
        coupon=None if i % 3 == 0 else f"SAVE{i % 30}",
        tags=["bench", f"t{i % 10}", f"g{i % 5}"],
        shipping=Shipping(
            street=f"{i % 200} Long Street",
            city=["Berlin", "Lisbon", "Oslo", "Austin"][i % 4],
            postcode=str(10000 + i % 89999),
            country=["DE", "PT", "NO", "US"][i % 4],
        ),
        description=f"{i} {FILLER}",
    )


def produce(messages: int, schema_file: str) -> float:
    topic = f"bench-produce-python-{uuid.uuid4().hex[:10]}"
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    admin.create_topics([NewTopic(topic, PARTITIONS, 1)])[topic].result()
    flowodm.connect(bootstrap_servers=BOOTSTRAP, schema_registry_url=REGISTRY)
    with open(schema_file) as f:
        get_schema_registry().register_schema(f"{topic}-value", Schema(f.read(), "AVRO"))
    connection = get_kafka_connection()
    connection._producer = Producer({"bootstrap.servers": BOOTSTRAP, **PRODUCER})
    model = model_class(topic)
    pool = [order(model, i) for i in range(POOL)]
    model.produce_many(pool[:1])  # schema id cached before timing, as for every client
    batch = [pool[i % POOL] for i in range(messages)]
    start = time.perf_counter()
    model.produce_many(batch)  # flushes: every record acknowledged
    elapsed = time.perf_counter() - start
    admin.delete_topics([topic])[topic].result()
    return messages / elapsed


def consume(messages: int, topic: str) -> float:
    flowodm.connect(bootstrap_servers=BOOTSTRAP, schema_registry_url=REGISTRY)
    model = model_class(topic, f"bench-python-{uuid.uuid4().hex[:10]}")
    count = 0
    start = 0.0
    for _ in model.consume_iter(timeout=1.0):
        if count == 0:
            start = time.perf_counter()
        count += 1
        if count >= messages:
            break
    # The first message starts the clock, as for every consumer of the benchmark.
    return (count - 1) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["produce", "consume"])
    parser.add_argument("--messages", type=int, default=200000)
    parser.add_argument("--topic", default="")
    parser.add_argument("--schema-file", default="")
    parser.add_argument("--client", default="flowodm-python")
    options = parser.parse_args()
    if options.mode == "produce":
        rate = produce(options.messages, options.schema_file)
    else:
        rate = consume(options.messages, options.topic)
    print(json.dumps({
        "runtime": "python",
        "scenario": options.mode,
        "client": options.client,
        "messages": options.messages,
        "msgsPerSec": rate,
    }))
    sys.stdout.flush()
    os._exit(0)  # the library's atexit flush has nothing left to do


if __name__ == "__main__":
    main()
