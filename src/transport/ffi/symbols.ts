/**
 * The librdkafka C functions the `ffi` transport calls, described with
 * runtime-neutral types so that one table serves `Deno.dlopen` and `bun:ffi`.
 *
 * - `ptr`: an opaque native pointer (or null)
 * - `buf`: a Uint8Array passed by address (C strings are NUL-terminated buffers)
 * - `i32`, `usize`: numbers (as arguments and results); `i64`: bigint
 *
 * `blocking: "poll"` marks a call whose last argument is a timeout and whose
 * null result means "nothing yet": runtimes without off-thread calls may
 * poll it with timeout 0 on a timer. `blocking: "call"` marks a call that may
 * wait on the network and should leave the JS thread where the runtime can.
 *
 * @module
 */

/** A parameter type, neutral to the runtime. */
export type NativeType = "ptr" | "buf" | "i32" | "i64" | "usize";

/** A result type, neutral to the runtime. */
export type NativeResult = NativeType | "void";

/** One C function. */
export interface SymbolSpec {
  readonly args: readonly NativeType[];
  readonly result: NativeResult;
  readonly blocking?: "poll" | "call";
}

const p = "ptr", b = "buf", i32 = "i32", i64 = "i64", usize = "usize";

/** Every librdkafka function the transport uses, with its C signature. */
export const symbols = {
  rd_kafka_version_str: { args: [], result: p },
  rd_kafka_err2name: { args: [i32], result: p },
  rd_kafka_err2str: { args: [i32], result: p },

  rd_kafka_conf_new: { args: [], result: p },
  rd_kafka_conf_set: { args: [p, b, b, b, usize], result: i32 },
  rd_kafka_conf_set_events: { args: [p, i32], result: "void" },
  rd_kafka_conf_destroy: { args: [p], result: "void" },
  rd_kafka_new: { args: [i32, p, b, usize], result: p },
  rd_kafka_destroy: { args: [p], result: "void", blocking: "call" },
  rd_kafka_name: { args: [p], result: p },
  rd_kafka_set_log_queue: { args: [p, p], result: i32 },
  rd_kafka_test_fatal_error: { args: [p, i32, b], result: i32 },

  rd_kafka_queue_get_main: { args: [p], result: p },
  rd_kafka_queue_get_consumer: { args: [p], result: p },
  rd_kafka_queue_new: { args: [p], result: p },
  rd_kafka_queue_destroy: { args: [p], result: "void" },
  rd_kafka_poll_set_consumer: { args: [p], result: i32 },
  rd_kafka_queue_poll: { args: [p, i32], result: p, blocking: "poll" },
  rd_kafka_queue_io_event_enable: { args: [p, i32, b, usize], result: "void" },

  rd_kafka_event_type: { args: [p], result: i32 },
  rd_kafka_event_destroy: { args: [p], result: "void" },
  rd_kafka_event_message_next: { args: [p], result: p },
  rd_kafka_event_message_array: { args: [p, b, usize], result: usize },
  rd_kafka_event_error: { args: [p], result: i32 },
  rd_kafka_event_error_string: { args: [p], result: p },
  rd_kafka_event_error_is_fatal: { args: [p], result: i32 },
  rd_kafka_event_log: { args: [p, b, b, b], result: i32 },
  rd_kafka_event_topic_partition_list: { args: [p], result: p },

  rd_kafka_error_code: { args: [p], result: i32 },
  rd_kafka_error_string: { args: [p], result: p },
  rd_kafka_error_is_retriable: { args: [p], result: i32 },
  rd_kafka_error_destroy: { args: [p], result: "void" },

  rd_kafka_produceva: { args: [p, b, usize], result: p },
  rd_kafka_purge: { args: [p, i32], result: i32 },
  rd_kafka_topic_name: { args: [p], result: p },
  rd_kafka_message_timestamp: { args: [p, b], result: i64 },
  rd_kafka_message_headers: { args: [p, b], result: i32 },
  rd_kafka_header_get_all: { args: [p, usize, b, b, b], result: i32 },

  rd_kafka_topic_partition_list_new: { args: [i32], result: p },
  rd_kafka_topic_partition_list_add: { args: [p, b, i32], result: p },
  rd_kafka_topic_partition_list_set_offset: { args: [p, b, i32, i64], result: i32 },
  rd_kafka_topic_partition_list_destroy: { args: [p], result: "void" },

  rd_kafka_subscribe: { args: [p, p], result: i32 },
  rd_kafka_assign: { args: [p, p], result: i32 },
  rd_kafka_incremental_assign: { args: [p, p], result: p },
  rd_kafka_incremental_unassign: { args: [p, p], result: p },
  rd_kafka_rebalance_protocol: { args: [p], result: p },
  rd_kafka_commit_queue: { args: [p, p, p, p, p], result: i32 },
  rd_kafka_committed: { args: [p, p, i32], result: i32, blocking: "call" },
  rd_kafka_seek_partitions: { args: [p, p, i32], result: p, blocking: "call" },
  rd_kafka_pause_partitions: { args: [p, p], result: i32 },
  rd_kafka_resume_partitions: { args: [p, p], result: i32 },
  rd_kafka_position: { args: [p, p], result: i32 },
  rd_kafka_get_watermark_offsets: { args: [p, b, i32, b, b], result: i32 },
  rd_kafka_consumer_close_queue: { args: [p, p], result: p },
  rd_kafka_consumer_closed: { args: [p], result: i32 },

  rd_kafka_metadata: { args: [p, i32, p, b, i32], result: i32, blocking: "call" },
  rd_kafka_metadata_destroy: { args: [p], result: "void" },

  rd_kafka_NewTopic_new: { args: [b, i32, i32, b, usize], result: p },
  rd_kafka_NewTopic_set_config: { args: [p, b, b], result: i32 },
  rd_kafka_NewTopic_destroy: { args: [p], result: "void" },
  rd_kafka_CreateTopics: { args: [p, b, usize, p, p], result: "void" },
  rd_kafka_event_CreateTopics_result: { args: [p], result: p },
  rd_kafka_CreateTopics_result_topics: { args: [p, b], result: p },
  rd_kafka_topic_result_error: { args: [p], result: i32 },
  rd_kafka_topic_result_error_string: { args: [p], result: p },
  rd_kafka_DeleteTopic_new: { args: [b], result: p },
  rd_kafka_DeleteTopic_destroy: { args: [p], result: "void" },
  rd_kafka_DeleteTopics: { args: [p, b, usize, p, p], result: "void" },
  rd_kafka_event_DeleteTopics_result: { args: [p], result: p },
  rd_kafka_DeleteTopics_result_topics: { args: [p, b], result: p },
  rd_kafka_ListConsumerGroupOffsets_new: { args: [b, p], result: p },
  rd_kafka_ListConsumerGroupOffsets_destroy: { args: [p], result: "void" },
  rd_kafka_ListConsumerGroupOffsets: { args: [p, b, usize, p, p], result: "void" },
  rd_kafka_event_ListConsumerGroupOffsets_result: { args: [p], result: p },
  rd_kafka_ListConsumerGroupOffsets_result_groups: { args: [p, b], result: p },
  rd_kafka_group_result_error: { args: [p], result: p },
  rd_kafka_group_result_partitions: { args: [p], result: p },
} as const satisfies Record<string, SymbolSpec>;

/** The table's type. */
export type Symbols = typeof symbols;
