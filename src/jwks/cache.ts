// The sidecar `PATH.meta.json` beside a fetched jwks.json, and the key-by-key comparison of two
// sets. jwks.json itself stays a pure JWK Set, because Grafana reads it through `jwk_set_file`.
import { createHash } from 'node:crypto';

export interface JwksMeta {
  /** The URL asked for (before redirects): the cache belongs to it. */
  url: string;
  etag: string | null;
  lastModified: string | null;
  /** When the server last confirmed this content (a 200 or a 304), ISO 8601. */
  fetchedAt: string;
  /** SHA-256 of jwks.json as written: a file edited by hand is not the cached one. */
  sha256: string;
  kids: string[];
}

export function metaPathFor(output: string): string {
  return `${output}.meta.json`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function serializeMeta(meta: JwksMeta): string {
  return `${JSON.stringify(meta, null, 2)}\n`;
}

/** The sidecar, or null when it is missing, unreadable or not ours: a broken cache is only a cache miss. */
export function parseMeta(text: string | null): JwksMeta | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const m = value as Partial<JwksMeta> | null;
  const optionalString = (v: unknown) => v === null || typeof v === 'string';
  const ok =
    typeof m === 'object' && m !== null &&
    typeof m.url === 'string' && typeof m.sha256 === 'string' && typeof m.fetchedAt === 'string' &&
    !Number.isNaN(Date.parse(m.fetchedAt)) && optionalString(m.etag) && optionalString(m.lastModified) &&
    Array.isArray(m.kids) && m.kids.every((k) => typeof k === 'string');
  return ok ? (m as JwksMeta) : null;
}

/** The sidecar when it describes exactly this file from this URL; otherwise null (refetch in full). */
export function usableMeta(meta: JwksMeta | null, url: string, fileText: string | null): JwksMeta | null {
  if (!meta || fileText === null) return null;
  return meta.url === url && meta.sha256 === sha256Hex(fileText) ? meta : null;
}

export function ageMs(meta: JwksMeta, now: Date): number {
  return now.getTime() - Date.parse(meta.fetchedAt);
}

/** Request headers that let the server answer 304 Not Modified. */
export function conditionalHeaders(meta: JwksMeta | null): Record<string, string> {
  return {
    ...(meta?.etag ? { 'if-none-match': meta.etag } : {}),
    ...(meta?.lastModified ? { 'if-modified-since': meta.lastModified } : {}),
  };
}

export type KeyStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface KeyChange {
  /** null for a key without `kid`. */
  kid: string | null;
  alg: string | null;
  status: KeyStatus;
}

type Jwk = Record<string, unknown>;

/**
 * Compares two key sets key by key (by `kid`; by content for kid-less keys), in the order of the
 * new set, then the removed keys. Formatting and member order do not count as a change.
 */
export function diffKeys(previous: readonly Jwk[] | null, next: readonly Jwk[]): KeyChange[] {
  const before = new Map((previous ?? []).map((k) => [identity(k), k]));
  const changes: KeyChange[] = next.map((key) => {
    const old = before.get(identity(key));
    before.delete(identity(key));
    const status: KeyStatus = !old ? 'added' : canonical(old) === canonical(key) ? 'unchanged' : 'changed';
    return describe(key, status);
  });
  for (const old of before.values()) changes.push(describe(old, 'removed'));
  return changes;
}

export function setsDiffer(changes: readonly KeyChange[]): boolean {
  return changes.some((c) => c.status !== 'unchanged');
}

function describe(key: Jwk, status: KeyStatus): KeyChange {
  return { kid: typeof key.kid === 'string' ? key.kid : null, alg: typeof key.alg === 'string' ? key.alg : null, status };
}

function identity(key: Jwk): string {
  return typeof key.kid === 'string' ? `kid:${key.kid}` : `jwk:${canonical(key)}`;
}

/** JSON with object members sorted, so that two spellings of one key compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
