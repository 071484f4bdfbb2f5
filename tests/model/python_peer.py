"""
The Python FlowODM (PyPI `flowodm` 0.3.1) side of tests/model/python_interop.test.ts.

It defines the same order model as the test, the way a Python service would, and
either produces the orders it reads as JSON on stdin or consumes N orders and prints
them as JSON. Everything comes from the environment, as the Python FlowODM reads it:
KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, and PEER_TOPIC, PEER_GROUP, PEER_TIMEOUT
(seconds a consumer waits for more), PEER_PARTITIONER (a librdkafka partitioner for the
producer; unset: the Python FlowODM's own producer, which keeps librdkafka's default
`consistent_random`).

Usage: python python_peer.py schema | produce < orders.json | consume N
Timestamps cross as epoch milliseconds (`placed_at_ms`).
"""

import json
import os
import sys
from datetime import datetime, timezone
from enum import Enum
from typing import Optional

from confluent_kafka import Producer
from flowodm import FlowBaseModel
from flowodm.connection import get_kafka_connection

PARTITIONER = os.environ.get("PEER_PARTITIONER")
_murmur_producer = None


class Status(str, Enum):
    NEW = "NEW"
    PAID = "PAID"
    SHIPPED = "SHIPPED"


class InteropOrder(FlowBaseModel):
    class Settings:
        topic = os.environ.get("PEER_TOPIC", "unset")
        consumer_group = os.environ.get("PEER_GROUP")
        key_field = "order_id"

    order_id: str
    quantity: int
    amount: float
    paid: bool
    status: Status
    note: Optional[str] = None
    placed_at: datetime

    @classmethod
    def get_producer(cls) -> Producer:
        # The Python FlowODM's documented hook: its own producer cannot be given a partitioner.
        global _murmur_producer
        if not PARTITIONER:
            return super().get_producer()
        if _murmur_producer is None:
            _murmur_producer = Producer(
                {
                    "bootstrap.servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"],
                    "partitioner": PARTITIONER,
                }
            )
        return _murmur_producer


def from_millis(ms: int) -> datetime:
    # Exact: no float on the way in.
    return datetime.fromtimestamp(ms // 1000, tz=timezone.utc).replace(microsecond=(ms % 1000) * 1000)


def to_millis(moment: datetime) -> int:
    whole = moment.replace(microsecond=0).timestamp()
    return int(whole) * 1000 + moment.microsecond // 1000


def produce() -> None:
    orders = json.load(sys.stdin)
    for order in orders:
        fields = {k: v for k, v in order.items() if k != "placed_at_ms"}
        InteropOrder(**fields, placed_at=from_millis(order["placed_at_ms"])).produce()
    print(json.dumps({"produced": len(orders), "schema_id": InteropOrder._get_or_register_schema_id()}))


def consume(count: int) -> None:
    # consume_batch stops at the first poll that waits this long in vain.
    timeout = float(os.environ.get("PEER_TIMEOUT", "20"))
    orders = InteropOrder.consume_batch(count, timeout=timeout)
    printed = []
    for order in orders:
        fields = order.model_dump(mode="python")
        placed_at = fields.pop("placed_at")
        fields["status"] = order.status.value
        fields["placed_at_ms"] = to_millis(placed_at)
        fields["placed_at_tz"] = str(placed_at.tzinfo)
        printed.append(fields)
    get_kafka_connection().close_connection()
    print(json.dumps(printed))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "schema":
        print(json.dumps(InteropOrder._generate_avro_schema()))
    elif command == "produce":
        produce()
    elif command == "consume":
        consume(int(sys.argv[2]))
    else:
        raise SystemExit(f"unknown command {command}")
