import { describe, expect, it } from 'vitest';
import { ageMs, conditionalHeaders, diffKeys, metaPathFor, parseMeta, serializeMeta, setsDiffer, sha256Hex, usableMeta, type JwksMeta } from '../../src/jwks/cache.js';

const FILE = '{"keys":[]}';
const META: JwksMeta = { url: 'https://a.test/jwks', etag: '"e1"', lastModified: 'Sun, 29 Nov 2026 00:00:00 GMT', fetchedAt: '2026-11-30T00:00:00.000Z', sha256: sha256Hex(FILE), kids: [] };

describe('sidecar', () => {
  it('lives beside the output', () => {
    expect(metaPathFor('/srv/jwks.json')).toBe('/srv/jwks.json.meta.json');
  });

  it('round-trips, and a broken or foreign sidecar is a cache miss', () => {
    expect(parseMeta(serializeMeta(META))).toEqual(META);
    expect(parseMeta(null)).toBeNull();
    expect(parseMeta('{')).toBeNull();
    expect(parseMeta(JSON.stringify({ ...META, fetchedAt: 'yesterday' }))).toBeNull();
    expect(parseMeta(JSON.stringify({ ...META, kids: [1] }))).toBeNull();
  });

  it('is used only for the same URL and an untouched file', () => {
    expect(usableMeta(META, META.url, FILE)).toBe(META);
    expect(usableMeta(META, 'https://b.test/jwks', FILE)).toBeNull();
    expect(usableMeta(META, META.url, '{"keys": []}')).toBeNull();
    expect(usableMeta(META, META.url, null)).toBeNull();
  });

  it('gives the validators to revalidate with, and its age', () => {
    expect(conditionalHeaders(META)).toEqual({ 'if-none-match': '"e1"', 'if-modified-since': META.lastModified });
    expect(conditionalHeaders({ ...META, etag: null, lastModified: null })).toEqual({});
    expect(conditionalHeaders(null)).toEqual({});
    expect(ageMs(META, new Date('2026-11-30T00:10:00Z'))).toBe(600_000);
  });
});

describe('diffKeys', () => {
  const a = { kty: 'EC', kid: 'a', alg: 'ES256', x: '1' };
  const b = { kty: 'RSA', kid: 'b', alg: 'RS256', n: '2' };
  const c = { kty: 'EC', kid: 'c', alg: 'ES256', x: '3' };

  it('lists new keys in order, then removed ones', () => {
    const changes = diffKeys([a, b], [c, a]);
    expect(changes).toEqual([
      { kid: 'c', alg: 'ES256', status: 'added' },
      { kid: 'a', alg: 'ES256', status: 'unchanged' },
      { kid: 'b', alg: 'RS256', status: 'removed' },
    ]);
    expect(setsDiffer(changes)).toBe(true);
  });

  it('ignores member order and sees a changed key behind the same kid', () => {
    expect(setsDiffer(diffKeys([a], [{ x: '1', alg: 'ES256', kid: 'a', kty: 'EC' }]))).toBe(false);
    expect(diffKeys([a], [{ ...a, x: '9' }])).toEqual([{ kid: 'a', alg: 'ES256', status: 'changed' }]);
  });

  it('treats everything as added when there was no readable file', () => {
    expect(diffKeys(null, [{ kty: 'EC', x: '1' }])).toEqual([{ kid: null, alg: null, status: 'added' }]);
  });
});
