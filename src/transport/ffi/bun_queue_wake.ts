/**
 * Event-driven waits on librdkafka queues for Bun, whose FFI cannot block
 * off the JS thread. librdkafka writes a byte to a pipe when a queue goes from
 * empty to non-empty (`rd_kafka_queue_io_event_enable`), and Bun's event loop
 * watches the pipe's read end, so a wait ends as soon as an event arrives
 * instead of on the next tick of a polling timer.
 *
 * librdkafka writes only on that edge, and only once until the queue is polled
 * again, so a wait always polls the queue with timeout 0 first (which also
 * re-arms the edge) and only then watches the pipe. A bounded timer stays as a
 * safety net: a missed edge costs at most {@link safetyNetMs}, never a hang.
 *
 * @module
 */
import type { Pointer } from "./native.ts";

/** The longest a wait trusts the pipe alone before polling again. */
export const safetyNetMs = 100;

// Linux's values (the same on x86_64 and aarch64); other systems keep the timer.
const nonBlocking = 0o4000;
const closeOnExec = 0o2000000;

/**
 * How many waits the pipe ended, in this process (diagnostics: tests read it
 * to tell a pipe wake-up from the end of a wait's timeout).
 */
export const wakeCounts = { pipe: 0 };

/** What the wakers call: libc's pipe2 and close, and librdkafka's io-event switch. */
export interface WakeCalls {
  pipe2(fds: Int32Array, flags: number): number;
  close(fd: number): number;
  enable(queue: Pointer, fd: number, payload: Uint8Array | null, size: number): void;
}

type Reader = { read(): Promise<unknown>; cancel(): Promise<void> };
/** Opens a reader of `fd` on Bun's event loop (`Bun.file(fd).stream()`); the fd stays open. */
export type OpenReader = (fd: number) => Reader;

/** The byte librdkafka writes; its value does not matter. */
const payload = new Uint8Array([1]);

/**
 * How long a reader outlives its last waiter, so that a poll loop's next wait
 * (after its handlers ran) reuses it: opening a reader costs about four times
 * a read. Bun's process cannot exit while a reader is open, for this long at most.
 */
const lingerMs = 20;

/** One queue's pipe and the reader of it that waiters share. */
class QueuePipe {
  readonly readFd: number;
  readonly writeFd: number;
  #reader: Reader | null = null;
  /** The read under way, if any; it resolves when bytes arrive (consuming them). */
  #readable: Promise<void> | null = null;
  #waiters = 0;
  #linger: ReturnType<typeof setTimeout> | undefined;

  constructor(readFd: number, writeFd: number) {
    this.readFd = readFd;
    this.writeFd = writeFd;
  }

  /**
   * Resolves when the pipe has bytes (consuming them) or after `ms`. The
   * reader is closed {@link lingerMs} after the last waiter left: an open one
   * would keep Bun's process alive.
   */
  async readable(open: OpenReader, ms: number): Promise<void> {
    clearTimeout(this.#linger);
    const reader = this.#reader ??= open(this.readFd);
    this.#readable ??= reader.read().then(
      (chunk) => {
        if (this.#reader !== reader) return;
        if ((chunk as { done?: boolean }).done !== false) return void this.#stop();
        wakeCounts.pipe++;
        this.#readable = null;
      },
      () => {
        if (this.#reader === reader) this.#stop();
      },
    );
    this.#waiters++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        this.#readable,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
      ]);
    } finally {
      clearTimeout(timer);
      if (--this.#waiters === 0) this.#linger = setTimeout(() => this.#stop(), lingerMs);
    }
  }

  /** Closes the reader (the fd stays open); the next wait opens a new one. */
  #stop(): Promise<void> | null {
    clearTimeout(this.#linger);
    const reader = this.#reader;
    if (reader === null) return null;
    this.#reader = null;
    this.#readable = null;
    return reader.cancel().catch(() => {});
  }

  /** Cancels any read, then closes both fds (the read end once Bun let go of it). */
  close(close: (fd: number) => number): void {
    close(this.writeFd);
    const cancelled = this.#stop();
    if (cancelled) cancelled.finally(() => close(this.readFd));
    else close(this.readFd);
  }
}

/** The pipes of every queue a Bun library has waited on, keyed by the queue's address. */
export class QueueWakers {
  readonly #calls: WakeCalls;
  readonly #open: OpenReader;
  readonly #pipes = new Map<unknown, QueuePipe>();
  readonly #fds = new Int32Array(2);

  constructor(calls: WakeCalls, open: OpenReader) {
    this.#calls = calls;
    this.#open = open;
  }

  /** How many queues hold a pipe now (two fds each). */
  get size(): number {
    return this.#pipes.size;
  }

  /**
   * Wraps a `(queue, timeoutMs) => event | null` poll into a wait that
   * sleeps on the queue's pipe between polls with timeout 0.
   */
  waitFor(
    poll: (queue: Pointer, timeoutMs: number) => Pointer | null,
  ): (queue: Pointer, timeoutMs: number) => Promise<Pointer | null> {
    return async (queue, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      // Enabled before the first poll, so an event enqueued after that poll still writes.
      const pipe = this.#pipeFor(queue);
      for (;;) {
        const event = poll(queue, 0);
        if (event !== null) return event;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return null;
        await pipe.readable(this.#open, Math.min(remaining, safetyNetMs));
      }
    };
  }

  #pipeFor(queue: Pointer): QueuePipe {
    const known = this.#pipes.get(queue);
    if (known) return known;
    const fds = this.#fds;
    // Non-blocking on both ends: librdkafka requires it, and its write must never block its thread.
    if (this.#calls.pipe2(fds, nonBlocking | closeOnExec) !== 0) {
      throw new Error("pipe2 failed: cannot watch a librdkafka queue");
    }
    const pipe = new QueuePipe(fds[0], fds[1]);
    this.#calls.enable(queue, pipe.writeFd, payload, payload.length);
    this.#pipes.set(queue, pipe);
    return pipe;
  }

  /**
   * Stops `queue`'s wake-ups and closes its pipe; call before the queue is
   * destroyed. librdkafka's queue may outlive our handle to it, so the fd is
   * unregistered first: it must never write into a closed (or reused) fd.
   */
  release(queue: Pointer): void {
    const pipe = this.#pipes.get(queue);
    if (!pipe) return;
    this.#pipes.delete(queue);
    this.#calls.enable(queue, -1, null, 0);
    pipe.close(this.#calls.close);
  }

  /** Closes every pipe left (the library is closing; its queues are gone). */
  closeAll(): void {
    for (const [queue, pipe] of this.#pipes) {
      this.#pipes.delete(queue);
      pipe.close(this.#calls.close);
    }
  }
}
