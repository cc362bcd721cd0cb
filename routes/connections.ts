/**
 * The dashboard's door: every TCP connection passes through here before Deno's HTTP server
 * sees it, so that connections are bounded in number and in time, which Deno.serve is not
 * (it keeps a connection that sends nothing, or its headers a byte at a time, forever, and
 * exits when it runs out of file handles). Each connection is relayed to the app's server
 * on a private Unix socket, with:
 *
 * - a header deadline: a request's headers must arrive within `headerSeconds` of its first
 *   byte (of the connection, for the first request);
 * - an idle limit: a connection with no byte either way for `idleSeconds` is closed (an event
 *   stream sends a comment every 15 s, so it stays);
 * - a cap of `maxConnections`: at the cap, the oldest connection that has not yet sent a whole
 *   request (silent, or headers a byte at a time) is closed to make room; when there is none,
 *   the new one is closed;
 * - running out of file handles is waited out (accept is tried again), never an exit.
 *
 * The relay reads just enough HTTP to know where a request's headers end (Content-Length
 * bodies; a chunked body is passed on untimed, still under the idle limit).
 *
 * @module
 */

/** The limits, and their defaults (README, docs/reliability.md). */
export interface ConnectionLimits {
  maxConnections: number;
  headerSeconds: number;
  idleSeconds: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = { maxConnections: 256, headerSeconds: 10, idleSeconds: 60 };

/** The most header bytes one request may send. */
const MAX_HEADER_BYTES = 32 * 1024;
const HEADER_END = new TextEncoder().encode("\r\n\r\n");

/** A running door: its port, what it has refused, and how to close it. */
export interface Door {
  port: number;
  /** connections open now */
  readonly open: number;
  /** connections closed by a limit, by reason */
  readonly closed: Readonly<Record<"header" | "idle" | "evicted" | "refused", number>>;
  shutdown(): Promise<void>;
}

/** Serve `handler` on hostname:port through the door. */
export async function serveWithLimits(
  handler: (request: Request) => Response | Promise<Response>,
  options: { hostname: string; port: number; limits?: Partial<ConnectionLimits> },
): Promise<Door> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const folder = await Deno.makeTempDir({ prefix: "myonn-serve-" });
  const path = `${folder}/app.sock`;
  const app = Deno.serve({ path, onListen() {} }, handler);
  // a connection whose peer closes first is no error of ours
  app.finished.catch(() => {});
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const relays = new Set<Relay>();
  const closed = { header: 0, idle: 0, evicted: 0, refused: 0 };
  let stopping = false;

  // one clock for every connection's deadlines
  const clock = setInterval(() => {
    for (const relay of relays) relay.check();
  }, 250);
  const accepting = (async () => {
    let warnedAt = 0;
    while (!stopping) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (stopping || error instanceof Deno.errors.BadResource) return;
        // out of file handles (EMFILE) or the like: wait a moment and go on, never exit
        if (Date.now() - warnedAt > 10_000) {
          console.error(
            `dashboard: cannot accept connections for now (${(error as Error).message}); waiting`,
          );
          warnedAt = Date.now();
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (relays.size >= limits.maxConnections && !evictOne()) {
        closed.refused++;
        closeQuietly(conn);
        continue;
      }
      const relay = new Relay(conn, path, limits, (reason) => {
        if (reason) closed[reason]++;
        relays.delete(relay);
      });
      relays.add(relay);
      relay.start();
    }
  })();

  /** Close the oldest connection that has not sent a whole request yet; false when there is none. */
  function evictOne(): boolean {
    let oldest: Relay | undefined;
    for (const relay of relays) {
      if (relay.fresh && (!oldest || relay.openedAt < oldest.openedAt)) oldest = relay;
    }
    if (!oldest) return false;
    oldest.close("evicted");
    return true;
  }

  return {
    port: (listener.addr as Deno.NetAddr).port,
    get open() {
      return relays.size;
    },
    closed,
    async shutdown() {
      stopping = true;
      clearInterval(clock);
      listener.close();
      await accepting;
      for (const relay of relays) relay.close();
      await app.shutdown();
      await Deno.remove(folder, { recursive: true }).catch(() => {});
    },
  };
}

async function writeAll(to: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await to.write(bytes.subarray(written));
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // closed already
  }
}

type Reason = "header" | "idle" | "evicted";

/** One client connection relayed to the app's socket, with its deadlines. */
class Relay {
  /** no whole request sent yet: what the cap may close to make room */
  fresh = true;
  readonly openedAt = Date.now();
  private upstream?: Deno.Conn;
  private ended = false;
  private lastByte = Date.now();
  /** where in the client's bytes we are: a request's headers (since its first byte), its body, or untimed */
  private reading: { state: "head"; since: number; bytes: number } | { state: "body"; left: number } | {
    state: "stream";
  } = { state: "head", since: Date.now(), bytes: 0 };
  /** how far "\r\n\r\n" has been matched across chunks */
  private matched = 0;
  private header = "";

  constructor(
    private readonly client: Deno.Conn,
    private readonly path: string,
    private readonly limits: ConnectionLimits,
    private readonly onEnd: (reason?: Reason) => void,
  ) {}

  /**
   * Relay until either side ends. The app's socket is opened only once the first request's
   * headers are whole: a connection that sends nothing, or dribbles, costs one file handle.
   */
  async start(): Promise<void> {
    const buffer = new Uint8Array(16 * 1024);
    const early: Uint8Array[] = [];
    let answering: Promise<void> | undefined;
    try {
      while (!this.ended) {
        const count = await this.client.read(buffer);
        if (count === null) break;
        this.lastByte = Date.now();
        const chunk = buffer.subarray(0, count);
        this.follow(chunk);
        if (this.ended) break;
        if (!this.upstream) {
          early.push(chunk.slice());
          if (this.fresh) continue; // the first request's headers are not whole yet
          this.upstream = await Deno.connect({ transport: "unix", path: this.path });
          answering = this.copy(this.upstream, this.client);
          for (const bytes of early.splice(0)) await writeAll(this.upstream, bytes);
          continue;
        }
        await writeAll(this.upstream, chunk);
      }
    } catch {
      // either side went away, or no file handle for the app's socket: this connection ends, the server goes on
    }
    if (!answering || this.ended) return this.close();
    // the client is done sending: let the answer finish (the idle limit still applies)
    await answering;
    this.close();
  }

  /** Copy the app's answer to the client until either ends. */
  private async copy(from: Deno.Conn, to: Deno.Conn): Promise<void> {
    const buffer = new Uint8Array(16 * 1024);
    try {
      while (!this.ended) {
        const count = await from.read(buffer);
        if (count === null) break;
        this.lastByte = Date.now();
        await writeAll(to, buffer.subarray(0, count));
      }
    } catch {
      // either side went away
    }
    this.close();
  }

  /** Follow the client's bytes: the end of each request's headers, then its body. */
  private follow(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      const reading = this.reading;
      if (reading.state === "stream") return;
      if (reading.state === "body") {
        const take = Math.min(reading.left, chunk.length - i);
        reading.left -= take;
        i += take;
        if (reading.left > 0) return;
        if (i === chunk.length) return;
        // pipelined: the next request starts here
        this.reading = { state: "head", since: Date.now(), bytes: 0 };
        continue;
      }
      // headers
      const byte = chunk[i++];
      reading.bytes++;
      if (this.header.length < 4096) this.header += String.fromCharCode(byte);
      this.matched = byte === HEADER_END[this.matched] ? this.matched + 1 : byte === HEADER_END[0] ? 1 : 0;
      if (reading.bytes > MAX_HEADER_BYTES) return this.close("header");
      if (this.matched === HEADER_END.length) this.headersDone();
    }
  }

  /** A request's headers are in: its body follows (Content-Length), or it is passed on untimed. */
  private headersDone(): void {
    const lines = this.header.toLowerCase();
    this.header = "";
    this.matched = 0;
    if (/\r\ntransfer-encoding:/.test(lines)) {
      this.reading = { state: "stream" };
      return;
    }
    const length = Number(/\r\ncontent-length:\s*(\d+)/.exec(lines)?.[1] ?? 0);
    this.reading = { state: "body", left: length };
    this.fresh = false;
  }

  /** Close on a deadline passed (called by the door four times a second). */
  check(): void {
    const now = Date.now();
    const reading = this.reading;
    // a request's headers are timed from its first byte; the first request's from the connection's
    // start, so a connection that sends nothing goes too
    if (reading.state === "head" && now - reading.since > this.limits.headerSeconds * 1000) {
      return this.close("header");
    }
    if (now - this.lastByte > this.limits.idleSeconds * 1000) return this.close("idle");
  }

  close(reason?: Reason): void {
    if (this.ended) return;
    this.ended = true;
    closeQuietly(this.client);
    if (this.upstream) closeQuietly(this.upstream);
    this.onEnd(reason);
  }
}
