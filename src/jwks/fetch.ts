// Fetches a JWKS over HTTPS with undici (imported here, lazily: no other module loads it).
// Every failure becomes one UserError that names the URL, the cause in plain words and the way out.
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { formatDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import { redactUrl } from '../core/sanitize.js';
import { refusedAddress } from './address.js';
import { VERSION } from '../version.js';

const MAX_JWKS_BYTES = 1 << 20;
const MAX_REDIRECTS = 5;
const CONNECT_TIMEOUT_MS = 5_000;
const PHASE_TIMEOUT_MS = 10_000;
const MAX_RETRY_DELAY_MS = 10_000;
/** Lets the per-phase timeouts (which have their own, more precise messages) fire before the overall one. */
const OVERALL_GRACE_MS = 1_000;

export interface FetchJwksOptions {
  /** The limit for the whole fetch, retries included (`--timeout`). */
  timeoutMs: number;
  /** Retries after the first attempt, on connection errors, timeouts, 429 and 5xx (`--retries`). */
  retries: number;
  /** The first retry waits this long, each next one twice as long (unless Retry-After says otherwise). */
  retryDelayMs: number;
  /** Extra trusted CAs (PEM), added to Node's roots rather than replacing them (unless `onlyCaPems`). */
  caPems: string[];
  /** Trust `caPems` alone when there are any, as Go does with RootCAs set (Grafana's tls_client_ca). */
  onlyCaPems?: boolean;
  /** Skip certificate verification (`--insecure`; the command warns). */
  insecure: boolean;
  /** Allow `http://` URLs (`--allow-http`). A redirect from https to http is refused regardless. */
  allowHttp: boolean;
  /** Sent as If-None-Match / If-Modified-Since. */
  conditionalHeaders: Record<string, string>;
  /** `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (and lowercase forms) come from here, not process.env. */
  env: Record<string, string | undefined>;
  /** Name resolution for direct connections; the default is the system's (tests keep names on 127.0.0.1). */
  lookup?: LookupFunction;
  /**
   * Loopback and private addresses (`--allow-private`): false refuses them; absent allows them. Link-local and cloud
   * metadata addresses are refused always. Checked for the URL and for every redirect.
   */
  allowPrivate?: boolean;
  /** Told what the fetch waits for and each retry (the command passes it on a terminal, for stderr). */
  onProgress?: (text: string) => void;
}

export type FetchJwksResult =
  | { status: 'fetched'; body: string; etag: string | null; lastModified: string | null }
  | { status: 'not-modified' };

/**
 * The TLS options of every connection: no verification (`insecure`), or `caPems` added to Node's roots,
 * or `caPems` alone (`onlyCaPems`: Go's RootCAs, which Grafana sets from tls_client_ca), or Node's roots.
 */
export function tlsOptions(options: Pick<FetchJwksOptions, 'insecure' | 'caPems' | 'onlyCaPems'>): { rejectUnauthorized?: false; ca?: string[] } {
  if (options.insecure) return { rejectUnauthorized: false };
  if (options.caPems.length === 0) return {};
  // undici's `ca` replaces Node's roots: keep them unless asked not to.
  return { ca: options.onlyCaPems ? options.caPems : [...rootCertificates, ...options.caPems] };
}

/** A classified failure of one attempt; `retryable` failures are tried again while retries and time remain. */
class Failure extends Error {
  constructor(
    readonly reason: string,
    readonly hint: string,
    readonly retryable = false,
    readonly retryAfterMs: number | null = null,
  ) {
    super(reason);
  }
}

export async function fetchJwks(url: string, options: FetchJwksOptions): Promise<FetchJwksResult> {
  const fail = (f: Failure, attempts = 1) =>
    new UserError(`could not fetch JWKS from ${redactUrl(url)}\n  reason: ${f.reason}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`, {
      hint: f.hint,
    });
  let target: URL;
  try {
    target = new URL(url);
    checkScheme(target, options.allowHttp);
  } catch (err) {
    throw fail(err instanceof Failure ? err : new Failure('this is not a URL', 'give an absolute https:// URL'));
  }

  const { EnvHttpProxyAgent, request } = await loadUndici();
  const tls = tlsOptions(options);
  const connectTimeout = Math.min(CONNECT_TIMEOUT_MS, options.timeoutMs);
  const connect = { ...tls, timeout: connectTimeout, ...(options.lookup ? { lookup: options.lookup } : {}) };
  const env = options.env;
  const dispatcher = new EnvHttpProxyAgent({
    connect,
    requestTls: { ...tls, timeout: connectTimeout },
    proxyTls: connect,
    // Given explicitly ('' = none) so that undici never falls back to process.env.
    httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
    noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
    maxResponseSize: MAX_JWKS_BYTES,
  });
  const deadline = Date.now() + options.timeoutMs;
  const overall = AbortSignal.timeout(options.timeoutMs + OVERALL_GRACE_MS);

  /** One GET; errors classified by phase (before the headers, or while reading the body). */
  async function get(current: URL) {
    const remaining = Math.max(1, Math.ceil(deadline - Date.now()));
    const phaseTimeout = Math.min(PHASE_TIMEOUT_MS, remaining);
    await checkAddress(current, options);
    let res;
    try {
      res = await request(current, {
        dispatcher,
        signal: overall,
        headersTimeout: phaseTimeout,
        bodyTimeout: phaseTimeout,
        headers: { accept: 'application/json', 'user-agent': `grafana-pomerium/${VERSION}`, ...options.conditionalHeaders },
      });
    } catch (err) {
      throw proxyError(err, proxyFor(current, env)) ?? classifyError(err, 'connect', current, { connectTimeout, phaseTimeout, overall, options });
    }
    return {
      res,
      readBody: async () => {
        try {
          return await res.body.text();
        } catch (err) {
          throw classifyError(err, 'body', current, { connectTimeout, phaseTimeout, overall, options });
        }
      },
    };
  }

  /** One attempt: follows redirects, then reads a 200 or accepts a 304. */
  async function attempt(): Promise<FetchJwksResult> {
    const visited = new Set<string>();
    let current = target;
    for (;;) {
      const { res, readBody } = await get(current);
      const status = res.statusCode;
      if ([301, 302, 303, 307, 308].includes(status)) {
        await res.body.dump();
        visited.add(current.href);
        current = nextHop(current, header(res.headers, 'location'), status, visited, options.allowHttp);
        continue;
      }
      if (status === 304) {
        await res.body.dump();
        return { status: 'not-modified' };
      }
      if (status !== 200) {
        await res.body.dump();
        throw statusFailure(status, header(res.headers, 'retry-after'));
      }
      const body = await readBody();
      checkNotHtml(header(res.headers, 'content-type'), body);
      return { status: 'fetched', body, etag: header(res.headers, 'etag'), lastModified: header(res.headers, 'last-modified') };
    }
  }

  try {
    for (let attemptNo = 1; ; attemptNo++) {
      options.onProgress?.(`waiting for ${target.host} (attempt ${attemptNo} of ${options.retries + 1}; at most ${formatDuration(Math.max(0, deadline - Date.now()))} more)`);
      try {
        return await attempt();
      } catch (err) {
        const failure = err instanceof Failure ? err : new Failure((err as Error)?.message ?? String(err), '');
        const delay = failure.retryAfterMs ?? Math.min(MAX_RETRY_DELAY_MS, options.retryDelayMs * 2 ** (attemptNo - 1));
        const canRetry = failure.retryable && attemptNo <= options.retries && Date.now() + delay < deadline;
        if (!canRetry) throw fail(failure, attemptNo);
        options.onProgress?.(`${failure.reason}: retrying in ${formatDuration(delay)}`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  } finally {
    await dispatcher.destroy().catch(() => {});
  }
}

/** Refuses a host that is (or resolves to) a link-local address, or a private one unless allowed. */
async function checkAddress(url: URL, options: FetchJwksOptions): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    const lookup = options.lookup ?? (dnsLookup as unknown as LookupFunction);
    addresses = await new Promise<string[]>((resolve) => {
      lookup(host, { all: true }, (err, found) => {
        // A name that does not resolve here fails at the request, with its own message (or resolves at the proxy).
        if (err) resolve([]);
        else resolve((Array.isArray(found) ? found : [{ address: found as unknown as string }]).map((a) => (typeof a === 'string' ? a : a.address)));
      });
    });
  }
  for (const address of addresses) {
    const refused = refusedAddress(address, options.allowPrivate ?? true);
    if (refused) throw new Failure(`${url.hostname === address ? '' : `${url.hostname} resolves to `}${refused}`, 'fetch from the public https:// URL of the route, or pass --allow-private for a server on this machine or network');
  }
}

/** The proxy (from the environment) a request to `url` goes through, or null; as undici's EnvHttpProxyAgent picks it. */
function proxyFor(url: URL, env: Record<string, string | undefined>): URL | null {
  const raw = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (!raw) return null;
  const noProxy = (env.no_proxy ?? env.NO_PROXY ?? '').split(/[,\s]+/).filter(Boolean);
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy) {
    if (entry === '*') return null;
    const [name, entryPort] = entry.toLowerCase().replace(/^\*?\./, '.').split(':') as [string, string?];
    if (entryPort && entryPort !== port) continue;
    if (host === name.replace(/^\./, '') || (name.startsWith('.') && host.endsWith(name))) return null;
  }
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return null;
  }
}

/** A failure that happened at the proxy, said as such (the proxy named without its credentials); null otherwise. */
function proxyError(err: unknown, proxy: URL | null): Failure | null {
  if (!proxy) return null;
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string }; address?: string; port?: number; hostname?: string };
  const cause = e?.cause ?? e;
  const code = e?.code ?? cause?.code ?? '';
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  const shown = redactUrl(proxy.href).replace(/\/$/, '');
  const atProxy = (cause as { port?: number }).port === proxyPort || (cause as { hostname?: string }).hostname === proxy.hostname;
  const hint = 'check HTTPS_PROXY / HTTP_PROXY (and NO_PROXY for hosts that should not use it)';
  if (/Proxy response \((\d+)\)/.test(e?.message ?? '')) {
    return new Failure(`the proxy ${shown} refused to connect to the server (${/Proxy response \((\d+)\)/.exec(e.message)![1]})`, hint);
  }
  if (!atProxy) return null;
  if (code === 'ECONNREFUSED') return new Failure(`connection refused by the proxy ${shown}`, hint, true);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Failure(`the proxy's host name ${proxy.hostname} does not resolve (DNS: ${code})`, hint);
  return new Failure(`the proxy ${shown} failed: ${e?.message ?? String(err)}${code ? ` (${code})` : ''}`, hint, true);
}

function checkScheme(url: URL, allowHttp: boolean): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && allowHttp) return;
  if (url.protocol === 'http:') {
    throw new Failure('plain http:// is refused: the keys that sign every login would travel unprotected', 'use the https:// URL, or pass --allow-http for a test setup');
  }
  throw new Failure(`the scheme ${url.protocol} is not supported`, 'give an https:// URL');
}

function nextHop(current: URL, location: string | null, status: number, visited: Set<string>, allowHttp: boolean): URL {
  if (!location) throw new Failure(`the server answered HTTP ${status} (a redirect) without a Location header`, 'fix the server, or give the final URL');
  const next = new URL(location, current);
  if (current.protocol === 'https:' && next.protocol === 'http:') {
    throw new Failure(`redirected from https to plain http (${redactUrl(next.href)}); that downgrade is refused`, 'give the https:// URL the keys are really served at');
  }
  checkScheme(next, allowHttp);
  if (visited.has(next.href)) throw new Failure(`redirect loop (${redactUrl(current.href)} -> ${redactUrl(next.href)})`, 'fix the redirect on the server, or give the final URL');
  if (visited.size >= MAX_REDIRECTS) throw new Failure(`more than ${MAX_REDIRECTS} redirects`, 'give the final URL');
  return next;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function checkNotHtml(contentType: string | null, body: string): void {
  if (/text\/html/i.test(contentType ?? '') || /^\s*</.test(body)) {
    throw new Failure(
      `the server answered with an HTML page (content-type ${contentType ?? 'not given'}), not a JWKS`,
      'a sign-in page means the request went through authentication: use https://<route host>/.well-known/pomerium/jwks.json',
    );
  }
}

function statusFailure(status: number, retryAfter: string | null): Failure {
  if (status === 404) {
    return new Failure('HTTP 404 Not Found: nothing is published at this path', 'Pomerium serves its keys at /.well-known/pomerium/jwks.json on every route host');
  }
  if (status === 401 || status === 403) {
    return new Failure(`HTTP ${status}: the server refused the request`, 'the JWKS must be readable without signing in; check the URL and any proxy in front of Pomerium');
  }
  if (status === 429) {
    return new Failure('HTTP 429 Too Many Requests', 'wait and run again, or cache with --max-age', true, parseRetryAfter(retryAfter));
  }
  if (status >= 500) {
    return new Failure(`HTTP ${status}: the server failed`, 'Pomerium answers 500 here when its signing_key cannot be read: check its logs, or use --from-signing-key', [500, 502, 503, 504].includes(status), parseRetryAfter(retryAfter));
  }
  return new Failure(`unexpected HTTP ${status}`, 'check the URL');
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 10.2.3), as a delay in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

interface ErrorContext {
  connectTimeout: number;
  phaseTimeout: number;
  overall: AbortSignal;
  options: FetchJwksOptions;
}

function classifyError(err: unknown, phase: 'connect' | 'body', url: URL, ctx: ErrorContext): Failure {
  const e = err as NodeJS.ErrnoException & { cert?: { subjectaltname?: string }; cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code ?? '';
  const host = url.host;
  if (ctx.overall.aborted) {
    return new Failure(`no complete answer within --timeout ${formatDuration(ctx.options.timeoutMs)}`, 'raise --timeout, or check the network path to the server');
  }
  if (UNKNOWN_AUTHORITY.has(code)) {
    return new Failure(
      `the certificate is signed by an unknown authority (${code})`,
      ctx.options.caPems.length > 0
        ? 'the CA in --ca-file did not sign this certificate: pass the CA that did, or use --from-signing-key to skip the network'
        : 'pass --ca-file with your CA, or use --from-signing-key to skip the network',
    );
  }
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return new Failure(`the server's certificate has expired (${code})`, 'renew the certificate on the server (or fix this machine\'s clock)');
    case 'CERT_NOT_YET_VALID':
      return new Failure(`the server's certificate is not valid yet (${code})`, 'check the clock on this machine and on the server');
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new Failure(
        `the certificate is not valid for ${url.hostname}${e.cert?.subjectaltname ? ` (it names ${e.cert.subjectaltname})` : ''} (${code})`,
        'use the host name the certificate was issued for (a route host of Pomerium), or reissue the certificate to include it',
      );
    case 'ECONNREFUSED':
      return new Failure(`connection refused by ${host}`, 'check the host and port, and that Pomerium listens there', true);
    case 'ENOTFOUND':
      return new Failure(`the host name ${url.hostname} does not resolve (DNS: ${code})`, 'check the host name; from a container, the public name may not resolve: try the service name', false);
    case 'EAI_AGAIN':
      return new Failure(`DNS lookup of ${url.hostname} failed for now (${code})`, 'check this machine\'s DNS, then run again', true);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new Failure(`no connection to ${host} within ${formatDuration(ctx.connectTimeout)} (connect timeout)`, 'check the network path, firewall and proxy settings (HTTPS_PROXY, NO_PROXY)', true);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new Failure(`connected, but ${host} sent no answer within ${formatDuration(ctx.phaseTimeout)}`, 'check that the server is healthy, or raise --timeout', true);
    case 'UND_ERR_BODY_TIMEOUT':
      return new Failure(`the server stopped sending in the middle of the body (nothing for ${formatDuration(ctx.phaseTimeout)})`, 'check that the server is healthy, or raise --timeout', true);
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return new Failure(`the body is larger than ${MAX_JWKS_BYTES / (1 << 20)} MiB; a JWKS is a few KiB`, 'check that the URL points at the JWKS (/.well-known/pomerium/jwks.json)');
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return phase === 'body'
        ? new Failure('the connection closed before the whole body arrived', 'check that the server (and any proxy) is healthy, then run again', true)
        : new Failure(`the connection to ${host} was closed (${code})`, 'check that the server (and any proxy) is healthy, then run again', true);
  }
  if (/^ERR_SSL_|^ERR_TLS_|^EPROTO$/.test(code)) {
    return new Failure(`the TLS handshake failed: ${e.message} (${code})`, 'check that the URL\'s port speaks HTTPS');
  }
  return new Failure(`${e?.message ?? String(err)}${code ? ` (${code})` : ''}`, 'check the URL and the network path to it');
}

/**
 * undici, loaded on first use (it is most of fetch-jwks' start-up cost). undici is CommonJS: Node
 * gives its exports as named ones, while esbuild's split bundle gives only the default export.
 */
async function loadUndici(): Promise<typeof import('undici')> {
  const mod = (await import('undici')) as typeof import('undici') & { default?: typeof import('undici') };
  return mod.default ?? mod;
}

/** The certificate errors that mean "signed by a CA this machine does not trust" (users and smoke word them alike). */
export { UNKNOWN_AUTHORITY as UNKNOWN_AUTHORITY_CODES };
