// The one sanitizer (src/core/sanitize.ts): controls escaped, secrets masked by key and by shape, URLs redacted.
import { describe, expect, it } from 'vitest';
import { escapeControls, escapeControlsInLine, hideExpandedValues, isSecretKey, maskSecretAssignments, maskSecretShapes, redactUrl } from '../../src/core/sanitize.js';
import { addressClass, refusedAddress } from '../../src/jwks/address.js';

describe('escapeControls', () => {
  it('escapes ESC, BEL, CR, NUL, DEL, C1 and bidi overrides; keeps newline and tab (escapeControlsInLine: those too)', () => {
    const junk = 'a\x1b]0;TITLE\x07b\r\0\x7f\x9b\u202e\n\tz';
    expect(escapeControls(junk)).toBe('a\\e]0;TITLE\\x07b\\r\\x00\\x7f\\x9b\\u202e\n\tz');
    expect(escapeControlsInLine(junk)).toBe('a\\e]0;TITLE\\x07b\\r\\x00\\x7f\\x9b\\u202e\\n\\tz');
    expect(escapeControlsInLine('a\tb', { keepTabs: true })).toBe('a\tb');
  });
});

describe('secret keys', () => {
  it('knows misspelt and unlisted secret names, not file paths or plain names', () => {
    for (const key of ['idp_client_secrt', 'idp_service_account', 'certificate_key', 'cookie_secret', 'shared_secret', 'client_secret', 'password', 'GF_DATABASE_PASSWORD', 'connstr', 'api_key', 'access_token'])
      expect(isSecretKey(key), key).toBe(true);
    for (const key of ['signing_key_file', 'header_name', 'jwk_set_url', 'email_claim', 'key_id', 'token_url']) expect(isSecretKey(key), key).toBe(false);
  });

  it('masks assignments to secret keys in ini, YAML, env and diff lines', () => {
    const text = 'shared_secret: abc\n+cookie_secret: def\n password = ghi\n-idp_client_secret: jkl\nGF_SECURITY_ADMIN_PASSWORD=mno\nheader_name = X';
    const masked = maskSecretAssignments(text);
    for (const secret of ['abc', 'def', 'ghi', 'jkl', 'mno']) expect(masked).not.toContain(secret);
    expect(masked).toContain('header_name = X');
  });
});

describe('maskSecretShapes', () => {
  it('hides URL userinfo passwords, PEM blocks, inline password=, long random base64; keeps hex kids, paths and words', () => {
    const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIL6hery9E866U6VPgGqnYMKROggtpPUPYH6CmIuo3jDGoAoGCCqGSM49\n-----END EC PRIVATE KEY-----';
    const text = `url postgres://u:PASSW0RD@db/grafana and https://TOKENx@h/ ${pem} addr=h:6379,password=hunter2 Y2hhbmdlLW1lLWNoYW5nZS1tZS1jaGFuZ2UtbWUtMzI=`;
    const masked = maskSecretShapes(text);
    for (const secret of ['PASSW0RD', 'TOKENx', 'MHcCAQEEIL6hery9E866U6VPgGqnYMKROggtpPUPYH6CmIuo3jDGoAoGCCqGSM49', 'hunter2', 'Y2hhbmdlLW1lLWNoYW5nZS1tZS1jaGFuZ2UtbWUtMzI='])
      expect(masked).not.toContain(secret);
    const kept = 'kid d591aa6e01e57ea8b80f349dc5de8517aa7b1f12f77700d89cbdba83938c0c61 at /etc/grafana/provisioning/datasources/x.yaml X-Pomerium-Jwt-Assertion';
    expect(maskSecretShapes(kept)).toBe(kept);
  });

  it('keeps a path whose folders have random names: + and / with - or _ is no single base64 alphabet (RFC 4648 4 and 5)', () => {
    expect(maskSecretShapes('auto_sign_up is off (/tmp/gp-users-J2ZBKz/grafana-53iaooscxly.ini)')).toBe('auto_sign_up is off (/tmp/gp-users-J2ZBKz/grafana-53iaooscxly.ini)');
    // The same length of standard base64 alone (openssl rand -base64 32) is still hidden.
    expect(maskSecretShapes('k9Xq/2mZ+T7bWv3nLpR8sYcF1uHjD4eKoQa6Ig0tNxE=')).toBe('****');
  });

  it('redacts URL userinfo and query values (fetch-jwks output and sidecar)', () => {
    expect(redactUrl('https://user:PASS@h.example.com/jwks.json?access_token=T&x=1')).toBe('https://****@h.example.com/jwks.json?access_token=****&x=****');
    expect(redactUrl('https://h.example.com/.well-known/pomerium/jwks.json')).toBe('https://h.example.com/.well-known/pomerium/jwks.json');
  });

  it('replaces expanded $__file{} content by its reference', () => {
    const expanded = [{ reference: '$__file{/proc/self/environ}', text: 'GITHUB_TOKEN=ghs_abc' }];
    expect(hideExpandedValues('header_name = GITHUB_TOKEN=ghs_abc is wrong', expanded)).toBe('header_name = $__file{/proc/self/environ} is wrong');
  });
});

describe('addresses a config URL may reach', () => {
  it('refuses link-local and metadata addresses always, loopback and private ones unless allowed', () => {
    for (const ip of ['169.254.169.254', 'fd00:ec2::254', 'fe80::1', '::ffff:169.254.169.254']) {
      expect(addressClass(ip), ip).toBe('link-local');
      expect(refusedAddress(ip, true), ip).toMatch(/link-local/);
    }
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '::1', 'fd12::1', '100.64.0.1']) {
      expect(refusedAddress(ip, false), ip).toMatch(/--allow-private/);
      expect(refusedAddress(ip, true), ip).toBeNull();
    }
    for (const ip of ['93.184.216.34', '2606:4700::1111', '172.32.0.1']) expect(refusedAddress(ip, false), ip).toBeNull();
  });
});
