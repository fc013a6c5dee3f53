import { describe, expect, it } from 'vitest';
import { pomeriumKid } from '../../src/jwks/kid.js';

// Vectors from reference pomerium.md 3.2 (the first two are asserted by Pomerium's pkg/cryptutil/jose_test.go).
describe('pomeriumKid', () => {
  it('gives the kid of the EC P-256 "good ES256" key', () => {
    const kid = pomeriumKid({
      kty: 'EC',
      crv: 'P-256',
      x: 'oLZD26lGXDHQBhafGelEfD7e6f3iDcYROV7TlYHtquc',
      y: 'DxP4R8IH2jHKgDxZRY58iayK2mtXgpWBNs0SkgTXeaU',
    });
    expect(kid).toBe('d591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61');
    // Hex, not the base64url form RFC 7638 shows for the same digest.
    expect(Buffer.from(kid, 'hex').toString('base64url')).toBe('1ZGqbgHlfqi4DzSdxd6FF6p7HxL3dwDYnL26g5OMDGE');
  });

  it('gives the kid of the RSA-2048 "good RS256" key', () => {
    const n =
      '67KjqmQYGq0MVtACVpeCmXminlQbDPGLmsZAUEwueHQnrt3WtvpDOm6AlaJMUnW-Hu55jjokalKeVjTKmgYGbqUzVDoMbPDaHekltdBTMGlOUFsP4UJSDrO4zdN-zo428TX2PnG2FCdVKGy4PE8ilHbWLcr871YjV51fw8CLDX9PZJNu861CF7V9iEJm6sSfQlmnhN8j3-WzVbPQNy1WsR7i9e9j63EqKt22Q9OXL-WAcKskoISmCNVRUAjU8YRVcgQJB-zQ34AQPlz0Op5O_QN_MedjaF8wLS-iv_zviS8cqPbxo6sLq6FNTltk_QkxeCeKKTQe_3kPYvQAdnl65Q';
    expect(pomeriumKid({ kty: 'RSA', n, e: 'AQAB' })).toBe('f0cc8033b422c2a199dcb456dde29589a9f5edd27d1c345bdf308957e957becf');
  });

  it('gives the kid of the public key in Pomerium\'s signing-key docs', () => {
    const kid = pomeriumKid({
      kty: 'EC',
      crv: 'P-256',
      x: 'QCN7adG2AmIK3UdHJvVJkldsUc6XeBRz83Z4rXX8Va4',
      y: 'PI95b-ary66nrvA55TpaiWADq8b3O1CYIbvjqIHpXCY',
    });
    expect(kid).toBe('ccc5bc9d835ff3c8f7075ed4a7510159cf440fd7bf7b517b5caeb1fa419ee6a1');
  });

  it('gives the kid of the key derived from the test shared secret', () => {
    const kid = pomeriumKid({
      kty: 'EC',
      crv: 'P-256',
      x: '2EUdBs4O1nfxBWQ2AIZRnFih9sBmSKp0vhRvcWljmqI',
      y: '8ZgSEqCTI_aHDZmWge3UwSDzgc-a00EEccKN3oMcyuU',
    });
    expect(kid).toBe('8fe3586687bf08a811338e8fd503289e323d1417a1a4aaa368cfaeafe9ae6cc5');
  });

  it('hashes only the thumbprint members, so extra JWK members do not change it', () => {
    const members = { kty: 'EC', crv: 'P-256', x: 'QCN7adG2AmIK3UdHJvVJkldsUc6XeBRz83Z4rXX8Va4', y: 'PI95b-ary66nrvA55TpaiWADq8b3O1CYIbvjqIHpXCY' } as const;
    expect(pomeriumKid({ ...members, use: 'sig', alg: 'ES256', kid: 'x' } as typeof members)).toBe(pomeriumKid(members));
  });
});
