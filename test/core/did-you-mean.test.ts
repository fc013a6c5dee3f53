import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/core/did-you-mean.js';

describe('didYouMean', () => {
  it('finds typos, case and separator slips', () => {
    expect(didYouMean('pass_identity_header', ['pass_identity_headers', 'preserve_host_header'])).toBe('pass_identity_headers');
    expect(didYouMean('X_POMERIUM_JWT_ASSERTION', ['X-Pomerium-Jwt-Assertion'])).toBe('X-Pomerium-Jwt-Assertion');
    expect(didYouMean('emial_claim', ['email_claim', 'username_claim'])).toBe('email_claim');
  });
  it('suggests nothing for unrelated names or exact matches', () => {
    expect(didYouMean('totally_different', ['email_claim'])).toBeUndefined();
    expect(didYouMean('email_claim', ['email_claim'])).toBeUndefined();
  });
  it('counts a swap as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('gives the exact distance within the bound and only "past it" beyond, whichever shortcut decided', () => {
    // Damerau (optimal string alignment) distance, as the unbounded call computes it.
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBeGreaterThan(2);
    expect(editDistance('abcdefgh', 'badcfehg', 4)).toBe(4);
    expect(editDistance('abcdefgh', 'hgfedcba', 2)).toBeGreaterThan(2);
    expect(editDistance('a'.repeat(40), 'b'.repeat(40), 3)).toBeGreaterThan(3);
    expect(editDistance('a'.repeat(40), 'b'.repeat(40))).toBe(40);
  });
  it('suggests the same name whether or not the character prefilter skips other candidates', () => {
    // Each candidate sharing no characters with `unknown_key_7` is skipped before the edit-distance table.
    expect(didYouMean('unknown_key_7', ['http_port', 'root_url', 'domain'])).toBeUndefined();
    expect(didYouMean('root_ulr', ['http_port', 'root_url', 'domain'])).toBe('root_url');
    expect(didYouMean('Root-URL', ['http_port', 'root_url'])).toBe('root_url');
    expect(didYouMean('domian', ['domain', 'domains'])).toBe('domain');
  });
});
