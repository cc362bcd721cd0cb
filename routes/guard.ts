/**
 * The dashboard's defences, for a server that may be reachable from a classroom
 * (`--host 0.0.0.0`): every request is treated as hostile.
 *
 * - Host: only the server's own names and addresses are answered (403 otherwise), so a
 *   web page whose DNS name is re-pointed at this machine (DNS rebinding) cannot read it.
 * - Origin: a request that changes anything (POST) must come from the dashboard's own
 *   pages: a cross-site `Origin` or `Sec-Fetch-Site` is 403, and the training endpoints
 *   take only `application/json` (a cross-site form cannot send that without asking).
 *   Tools such as curl send no Origin and are let through.
 * - Bodies: read with a size limit (413), a deadline for slow senders (408), and a cap on
 *   the bytes held for all bodies together (503), so slow uploads cannot hold the server's
 *   memory or crowd out other requests.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";

/** The names every dashboard answers to: this machine, by loopback. */
export const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1"];

/** How long a request body may take to arrive. */
export const BODY_SECONDS = 20;
/**
 * The most bytes of request bodies held at once, all requests together: uploads that
 * trickle in hold only what has arrived, so they cannot crowd out others; a burst of large
 * ones beyond this gets 503.
 */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** A request the guard or a body reader turns away, with its status. */
export class RequestRefused extends Error {
  constructor(readonly status: 403 | 408 | 413 | 415 | 503, message: string) {
    super(message);
  }
}

/** A host name as compared: lower case, without brackets or a trailing dot. */
function normalHost(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

/** The `host:port` of a URL-like origin, or undefined when it is not one. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Refuse requests for another host (403), and cross-site requests that would change
 * something (403). `hosts` are the names and addresses this server answers to.
 */
export function guardRequests(hosts: readonly string[]): MiddlewareHandler {
  const allowed = new Set(hosts.map(normalHost));
  return async (c, next) => {
    let url: URL;
    try {
      url = new URL(c.req.url);
    } catch {
      // a Host header that is no host name ("127.0.0.1:8212.evil.com"): refused, nothing logged
      return c.json({ error: "the request's Host header is not a host name" }, 400);
    }
    if (!allowed.has(normalHost(url.hostname))) {
      return c.json(
        { error: `this dashboard does not answer to the host "${url.hostname.slice(0, 100)}"` },
        403,
      );
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      const sameOrigin = origin === undefined || originHost(origin) === url.host.toLowerCase();
      if (!sameOrigin || (site !== undefined && site !== "same-origin" && site !== "none")) {
        return c.json({ error: "requests from other sites are refused" }, 403);
      }
    }
    await next();
  };
}

/** Refuse (403) a state-changing request whose body is not declared as JSON. */
export function requireJson(c: Context): void {
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw new RequestRefused(403, "this endpoint takes only a JSON body (content-type: application/json)");
  }
}

/** Reads request bodies within limits; one per app (it counts the bodies being read). */
export interface BodyReader {
  /** The whole body, at most `maxBytes`, arriving within BODY_SECONDS; a RequestRefused otherwise. */
  read(c: Context, maxBytes: number): Promise<Uint8Array>;
  /** bytes of bodies being read right now */
  readonly buffered: number;
}

/** A body reader with the limits above. */
export function createBodyReader(options: { seconds?: number; maxBuffered?: number } = {}): BodyReader {
  const seconds = options.seconds ?? BODY_SECONDS;
  const maxBuffered = options.maxBuffered ?? MAX_BUFFERED_BYTES;
  let buffered = 0;
  return {
    get buffered() {
      return buffered;
    },
    async read(c, maxBytes) {
      const declared = Number(c.req.header("content-length") ?? NaN);
      if (declared > maxBytes) {
        throw new RequestRefused(413, `the request body is too large: more than ${maxBytes} bytes`);
      }
      const body = c.req.raw.body;
      if (!body) return new Uint8Array(0);
      const reader = body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      let late = false;
      const deadline = setTimeout(() => {
        late = true;
        reader.cancel("too slow").catch(() => {});
      }, seconds * 1000);
      try {
        while (true) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.length;
          if (size > maxBytes) {
            await reader.cancel().catch(() => {});
            throw new RequestRefused(413, `the request body is too large: more than ${maxBytes} bytes`);
          }
          if (buffered + value.length > maxBuffered) {
            await reader.cancel().catch(() => {});
            throw new RequestRefused(503, "the server is busy reading other uploads: try again in a moment");
          }
          buffered += value.length;
          chunks.push(value);
        }
      } catch (error) {
        if (error instanceof RequestRefused) throw error;
        throw new RequestRefused(408, `the request body did not arrive within ${seconds} s`);
      } finally {
        clearTimeout(deadline);
        buffered -= chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      }
      if (late || size < declared) {
        throw new RequestRefused(408, `the request body did not arrive within ${seconds} s`);
      }
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
      return bytes;
    },
  };
}

/** The names and addresses of this machine, for a server listening on all of them (0.0.0.0 or ::). */
export function machineHosts(): string[] {
  const hosts: string[] = [];
  try {
    const name = Deno.hostname();
    hosts.push(name, `${name}.local`);
  } catch {
    // not allowed to ask: the addresses below still work
  }
  try {
    for (const network of Deno.networkInterfaces()) hosts.push(network.address);
  } catch {
    // not allowed to ask
  }
  return hosts;
}

/** The cookie that carries the changes token, once a visitor has opened the token link. */
export const TOKEN_COOKIE = "myonn_token";

/** Whether two strings are equal, taking the same time wherever they differ (no timing leak of the token). */
export function sameSecret(given: string, secret: string): boolean {
  const a = new TextEncoder().encode(given), b = new TextEncoder().encode(secret);
  let differ = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) differ |= (a[i % Math.max(a.length, 1)] ?? 0) ^ b[i];
  return differ === 0;
}

/** A fresh token: 32 hex digits from the system's random source. */
export function newToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0"))
    .join("");
}

/** The token a request carries: its cookie, or `Authorization: Bearer …` (scripts). */
function tokenOf(c: Context): string | undefined {
  const bearer = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  if (bearer) return bearer;
  for (const part of (c.req.header("cookie") ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === TOKEN_COOKIE) return value.join("=");
  }
  return undefined;
}

/**
 * Changes need a token (Jupyter's way), when `token` is set — the dashboard listens beyond
 * loopback: a GET with `?token=` turns it into an HttpOnly, SameSite=Strict cookie and
 * redirects to the same page without it; every POST but reading a drawing must carry it
 * (cookie or Bearer), else 403, logged without the token. `c.get("canChange")` tells pages
 * whether to show their controls. Without a token everyone may change things.
 */
export function requireToken(
  token: string | undefined,
  log: (line: string) => void = (line) => console.error(line),
): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined) {
      c.set("canChange" as never, true as never);
      return await next();
    }
    const given = c.req.query("token");
    if (c.req.method === "GET" && given !== undefined) {
      if (!sameSecret(given, token)) {
        log(
          `refused a wrong token for ${c.req.path} (from ${c.req.header("user-agent")?.slice(0, 60) ?? "?"})`,
        );
        return c.json({ error: "that token is not this dashboard's: open the link serve printed" }, 403);
      }
      const url = new URL(c.req.url);
      url.searchParams.delete("token");
      c.header("Set-Cookie", `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      return c.redirect(url.pathname + url.search, 303);
    }
    const carried = tokenOf(c);
    const allowed = carried !== undefined && sameSecret(carried, token);
    c.set("canChange" as never, allowed as never);
    const opens = c.req.method === "POST" && c.req.path !== "/api/query";
    if (opens && !allowed) {
      log(`refused ${c.req.method} ${c.req.path} without the changes token`);
      return c.json({ error: "changes need the token: open the link serve printed (…/?token=…)" }, 403);
    }
    await next();
  };
}
