// A small client for the few Grafana HTTP API endpoints `users` and `smoke` use, over undici (imported
// here, lazily: only these commands load it). Every failure becomes one UserError a person can act on:
// where (the URL), what (Grafana's own message), and the way out (which variable, which flag).
import { rootCertificates } from 'node:tls';
import { UserError } from '../core/errors.js';
import { UNKNOWN_AUTHORITY_CODES } from '../jwks/fetch.js';
import { VERSION } from '../version.js';

const TIMEOUT_MS = 15_000;
const MAX_BODY_BYTES = 1 << 20;

/** Where Grafana is and who we are to it; `authorization` is a secret and never printed. */
export interface GrafanaTarget {
  /** The base URL as given (GRAFANA_URL / --grafana-url), e.g. `https://grafana.example.com/grafana`. */
  url: string;
  /** The Authorization header value built from GRAFANA_AUTH (or a Pomerium assertion for smoke: then null). */
  authorization: string | null;
  /** Extra headers (smoke sends X-Pomerium-Jwt-Assertion). */
  headers?: Record<string, string>;
  /** Which variable the credentials came from, to name in a 401. */
  credentialsFrom: string;
  /** Extra trusted CA (PEM) from --ca-file, added to Node's roots. */
  caPems: string[];
  env: Record<string, string | undefined>;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON, or null when the body is not JSON. */
  json: unknown;
}

/** A non-2xx answer that the caller may handle (404 on a lookup) before it becomes a UserError. */
export class GrafanaHttpError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly grafanaMessage: string,
  ) {
    super(`${method} ${url}: HTTP ${status}${grafanaMessage ? `: ${grafanaMessage}` : ''}`);
  }
}

type Undici = typeof import('undici');

/** undici is CommonJS: Node gives named exports, esbuild's split bundle only the default one. */
async function loadUndici(): Promise<Undici> {
  const mod = (await import('undici')) as Undici & { default?: Undici };
  return mod.default ?? mod;
}

export interface GrafanaApi {
  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<ApiResponse>;
  close(): Promise<void>;
  /** The URL of `path`, for messages. */
  urlOf(path: string): string;
}

/** `GRAFANA_AUTH`: `user:password` (basic auth, as Grafana's Terraform provider reads it) or a token. */
export function authorizationFrom(auth: string | undefined): string | null {
  if (auth === undefined || auth === '') return null;
  if (auth.includes(':')) return `Basic ${Buffer.from(auth, 'utf8').toString('base64')}`;
  return `Bearer ${auth}`;
}

export function baseUrlOf(text: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UserError(`${flag} ${JSON.stringify(text)} is not a URL`, { hint: 'give Grafana\'s address, e.g. https://grafana.internal:3000 (or its root_url)' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`${flag} must be an http:// or https:// URL, not ${url.protocol}`);
  if (url.username || url.password) {
    throw new UserError(`${flag} must not carry credentials`, { hint: 'put them in GRAFANA_AUTH (user:password or a token), which is never printed' });
  }
  return url;
}

export async function openGrafanaApi(target: GrafanaTarget): Promise<GrafanaApi> {
  const base = baseUrlOf(target.url, 'GRAFANA_URL');
  const { EnvHttpProxyAgent, request } = await loadUndici();
  const tls = target.caPems.length > 0 ? { ca: [...rootCertificates, ...target.caPems] } : {};
  const env = target.env;
  const dispatcher = new EnvHttpProxyAgent({
    connect: { ...tls, timeout: TIMEOUT_MS },
    requestTls: { ...tls, timeout: TIMEOUT_MS },
    httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
    noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
    maxResponseSize: MAX_BODY_BYTES,
  });
  const urlOf = (path: string) => new URL(base.pathname.replace(/\/$/, '') + path, base).href;

  return {
    urlOf,
    close: () => dispatcher.close(),
    async request(method, path, body) {
      const url = urlOf(path);
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': `grafana-pomerium/${VERSION}`, ...target.headers };
      if (target.authorization) headers.authorization = target.authorization;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let res;
      try {
        res = await request(url, {
          method,
          dispatcher,
          headers,
          headersTimeout: TIMEOUT_MS,
          bodyTimeout: TIMEOUT_MS,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (err) {
        throw networkError(err, new URL(url), base, target.caPems.length > 0);
      }
      let text: string;
      try {
        text = await res.body.text();
      } catch (err) {
        throw networkError(err, new URL(url), base, target.caPems.length > 0);
      }
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      if (res.statusCode >= 300) {
        const error = new GrafanaHttpError(method, url, res.statusCode, messageOf(json, text));
        if (res.statusCode === 401 && target.authorization !== null) throw unauthorized(error, target.credentialsFrom);
        if (res.statusCode >= 300 && res.statusCode < 400) {
          throw new UserError(`Grafana at ${base.href} answered ${method} ${path} with a redirect (HTTP ${res.statusCode}) to ${String(res.headers.location ?? '?')}`, {
            hint: 'set GRAFANA_URL to the address Grafana serves its API at (its root_url, with any sub path)',
          });
        }
        throw error;
      }
      return { status: res.statusCode, json };
    },
  };
}

/** Grafana's error bodies are `{"message": ...}` (response.Error and errutil's public errors alike). */
function messageOf(json: unknown, text: string): string {
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') return (json as { message: string }).message;
  return text.trim().slice(0, 200);
}

function unauthorized(error: GrafanaHttpError, credentialsFrom: string): UserError {
  return new UserError(`Grafana refused the credentials in ${credentialsFrom} (HTTP 401${error.grafanaMessage ? `: ${error.grafanaMessage}` : ''})`, {
    hint: `${credentialsFrom} is user:password of a Grafana server admin (basic auth) or a token; check it against ${new URL(error.url).origin}`,
  });
}

/** A refusal of the account in GRAFANA_AUTH (403), worded for `users`. */
export function forbidden(error: GrafanaHttpError, credentialsFrom: string): UserError {
  return new UserError(`the account in ${credentialsFrom} may not do this: ${error.method} ${new URL(error.url).pathname} answered HTTP 403${error.grafanaMessage ? ` (${error.grafanaMessage})` : ''}`, {
    hint: 'managing users needs a Grafana server admin: use basic auth (user:password) of an account with Server Admin, e.g. the admin user',
  });
}

/** Connection and TLS failures, in the words fetch-jwks uses for them, with this command's way out. */
function networkError(err: unknown, url: URL, base: URL, hasCaFile: boolean): UserError {
  const e = err as NodeJS.ErrnoException & { cert?: { subjectaltname?: string }; cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code ?? '';
  const host = url.host;
  const fail = (reason: string, hint: string) => new UserError(`could not reach Grafana at ${base.href}\n  reason: ${reason}`, { hint });
  if (UNKNOWN_AUTHORITY_CODES.has(code)) {
    return fail(
      `the certificate is signed by an unknown authority (${code})`,
      hasCaFile ? 'the CA in --ca-file did not sign this certificate: pass the CA that did' : 'pass --ca-file with your CA',
    );
  }
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return fail(`the server's certificate has expired (${code})`, "renew the certificate on the server (or fix this machine's clock)");
    case 'CERT_NOT_YET_VALID':
      return fail(`the server's certificate is not valid yet (${code})`, 'check the clock on this machine and on the server');
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return fail(
        `the certificate is not valid for ${url.hostname}${e.cert?.subjectaltname ? ` (it names ${e.cert.subjectaltname})` : ''} (${code})`,
        'use the host name the certificate was issued for in GRAFANA_URL',
      );
    case 'ECONNREFUSED':
      return fail(`connection refused by ${host}`, 'check GRAFANA_URL (host and port) and that Grafana is running there');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(`the host name ${url.hostname} does not resolve (DNS: ${code})`, 'check the host name in GRAFANA_URL');
    case 'UND_ERR_CONNECT_TIMEOUT':
      return fail(`no connection to ${host} within ${TIMEOUT_MS / 1000}s (connect timeout)`, 'check the network path, firewall and proxy settings (HTTPS_PROXY, NO_PROXY)');
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return fail(`connected, but ${host} sent no answer within ${TIMEOUT_MS / 1000}s`, 'check that Grafana is healthy');
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return fail(`the answer is larger than 1 MiB`, 'check that GRAFANA_URL points at Grafana');
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return fail(`the connection to ${host} was closed (${code})`, 'check that Grafana (and any proxy in front of it) is healthy; an https:// server on an http:// URL looks like this too');
  }
  if (/^ERR_SSL_|^ERR_TLS_|^EPROTO$/.test(code)) {
    return fail(`the TLS handshake failed: ${e.message} (${code})`, "check that GRAFANA_URL's port speaks HTTPS (or use http://)");
  }
  return fail(`${e?.message ?? String(err)}${code ? ` (${code})` : ''}`, 'check GRAFANA_URL and the network path to it');
}
