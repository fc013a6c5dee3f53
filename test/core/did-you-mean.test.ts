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
});
