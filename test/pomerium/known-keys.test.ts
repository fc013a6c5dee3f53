import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENVOY_CLUSTER_ROUTE_KEYS, REMOVED_ROUTE_KEYS, REMOVED_TOP_LEVEL_KEYS, ROUTE_KEYS, TOP_LEVEL_KEYS } from '../../src/pomerium/known-keys.js';
import { readPomeriumConfig } from '../../src/pomerium/read.js';

const fixtures = ['guide-v1.yaml', 'guide-v5.yaml', 'weighted.yaml', 'policy-and-routes.yaml', 'issuer.yaml', 'config.json', 'wildcard.yaml'];

describe('known keys', () => {
  it('know every option the guides and fixtures use, and flag the removed allowed_groups', () => {
    for (const name of fixtures) {
      const m = readPomeriumConfig(readFileSync(new URL(`../fixtures/pomerium/${name}`, import.meta.url), 'utf8'), name);
      expect(m.topLevelKeys.map((k) => k.name).filter((k) => !TOP_LEVEL_KEYS.has(k)), name).toEqual([]);
      const routeKeys = m.routes.flatMap((r) => r.keys.map((k) => k.name));
      expect(routeKeys.filter((k) => !ROUTE_KEYS.has(k) && !REMOVED_ROUTE_KEYS.has(k)), name).toEqual([]);
    }
    expect(REMOVED_ROUTE_KEYS.has('allowed_groups')).toBe(true);
  });

  it('keep the lists apart: no removed key is also a known one', () => {
    for (const k of REMOVED_TOP_LEVEL_KEYS.keys()) expect(TOP_LEVEL_KEYS.has(k), k).toBe(false);
    for (const k of REMOVED_ROUTE_KEYS.keys()) expect(ROUTE_KEYS.has(k) || ENVOY_CLUSTER_ROUTE_KEYS.has(k), k).toBe(false);
  });
});
