/**
 * What went wrong talking to GitHub, in words: a DNS failure is not "HTTP 500".
 *
 * Octokit reports every failure to reach the server as a RequestError with status 500 and the
 * fetch error as its `cause`; the client (client.ts) turns those into a NetworkError carrying the
 * classification, so they are not retried and are told apart from a real HTTP 500.
 */

export type FailureKind = 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'network' | 'http';

export interface Failure {
  kind: FailureKind;
  /** True when no HTTP answer came back at all (DNS, refused, timeout, TLS, dropped connection). */
  connection: boolean;
  /** The HTTP status, for kind 'http'. */
  status?: number;
  /** GitHub's `message` from the response body, for kind 'http'. */
  githubMessage?: string;
  /** Seconds GitHub asked us to wait (Retry-After or the rate-limit reset). */
  retryAfter?: number;
  /** One line, ready to print. Never contains the token: it is built from error codes, the host and GitHub's message only. */
  message: string;
}

/** A failure to reach GitHub at all, already classified. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

const TLS_CODES = /^(?:CERT_|UNABLE_TO_(?:VERIFY|GET)_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID)/;

function chain(err: unknown): Array<{ code?: unknown; name?: unknown; message?: unknown; errors?: unknown }> {
  const out: Array<{ code?: unknown; name?: unknown; message?: unknown; errors?: unknown }> = [];
  let cur: unknown = err;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 8; depth++) {
    const e = cur as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
    out.push(e);
    // AggregateError (happy eyeballs tries several addresses): look at the first one too.
    if (Array.isArray(e.errors) && e.errors[0] && typeof e.errors[0] === 'object') out.push(e.errors[0] as never);
    cur = e.cause;
  }
  return out;
}

/** Classifies a failure to connect (no HTTP response), or returns undefined when `err` is not one. */
export function connectionFailure(err: unknown, host: string | undefined): Failure | undefined {
  if (err instanceof NetworkError) return err.failure;
  const where = host ?? 'the GitHub server';
  for (const e of chain(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
      const hostname = host?.replace(/:\d+$/, '') ?? 'the GitHub server';
      return { kind: 'dns', connection: true, message: `cannot resolve ${hostname}: DNS lookup failed (${code}${code === 'EAI_AGAIN' ? ', no DNS server reachable' : ''})` };
    }
    if (code === 'ECONNREFUSED') return { kind: 'refused', connection: true, message: `connection to ${where} refused (nothing listening, or a firewall)` };
    if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || e.name === 'TimeoutError') {
      return { kind: 'timeout', connection: true, message: `no answer from ${where} in time (timed out)` };
    }
    if (TLS_CODES.test(code)) return { kind: 'tls', connection: true, message: `TLS connection to ${where} failed (${code})` };
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
      return { kind: 'reset', connection: true, message: `connection to ${where} dropped before an answer (${code})` };
    }
    if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'ENETDOWN') return { kind: 'network', connection: true, message: `${where} is unreachable (${code})` };
  }
  const top = err as { status?: unknown; response?: unknown; name?: unknown } | undefined;
  if (top && typeof top === 'object' && top.status === 500 && top.response === undefined && top.name === 'HttpError') {
    // Octokit's wrapper for a fetch that failed without a code we know.
    return { kind: 'network', connection: true, message: `cannot reach ${where}: ${String((err as Error).message).slice(0, 200)}` };
  }
  return undefined;
}

/** Any failure from an Octokit call, classified. */
export function describeFailure(err: unknown, host?: string): Failure {
  const conn = connectionFailure(err, host);
  if (conn) return conn;
  const e = err as { status?: unknown; response?: { data?: unknown; headers?: Record<string, string | undefined> }; message?: unknown };
  if (e && typeof e === 'object' && typeof e.status === 'number' && e.response) {
    const data = e.response.data as { message?: unknown; errors?: unknown } | undefined;
    let githubMessage = data && typeof data === 'object' && typeof data.message === 'string' ? data.message : undefined;
    // 422s carry the detail in errors[]: [{resource, code, field, message}]
    if (data && typeof data === 'object' && Array.isArray(data.errors)) {
      const details = data.errors.map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' ? String((x as { message?: unknown; code?: unknown }).message ?? (x as { code?: unknown }).code ?? '') : '')).filter(Boolean);
      if (details.length) githubMessage = `${githubMessage ?? ''}${githubMessage ? ': ' : ''}${details.join('; ')}`;
    }
    const headers = e.response.headers ?? {};
    const retryAfter = headers['retry-after'] ? Number(headers['retry-after']) : headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset'] ? Math.max(0, Number(headers['x-ratelimit-reset']) - Math.floor(Date.now() / 1000)) : undefined;
    return {
      kind: 'http',
      connection: false,
      status: e.status,
      ...(githubMessage ? { githubMessage: githubMessage.slice(0, 500) } : {}),
      ...(retryAfter !== undefined && Number.isFinite(retryAfter) ? { retryAfter } : {}),
      message: `HTTP ${e.status}${githubMessage ? `: ${githubMessage.slice(0, 500)}` : ''}`,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'network', connection: false, message: message.slice(0, 300) };
}
