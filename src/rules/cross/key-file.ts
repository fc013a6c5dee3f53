import { grafanaKey, isReadIn } from '../../grafana/defaults.js';
import { atLeast } from '../../grafana/version.js';
import { jwtConfigFailure, jwtEnabled } from '../grafana/place.js';
import { defineRule } from '../types.js';
import { setValue, signerKid } from './helpers.js';

/** PR #72711 (key_id) was merged 2023-08-02, between the 10.1 and 10.2 releases: 10.1 is in doubt. */
const KEY_ID_MAYBE_FROM = '10.1.0';

/** The first PEM block, as Go's `pem.Decode` finds it (Grafana reads only that one). */
const FIRST_PEM_TYPE = /-----BEGIN ([A-Z0-9 ]+)-----/;

/** The private-key block types `initKeySet` parses (`PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`). */
const PRIVATE_TYPES = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

export default defineRule({
  meta: {
    id: 'cross/key-file',
    description: "key_file holds a public key, and key_id is the kid Pomerium's tokens carry",
    severity: 'error',
    requires: ['grafana'],
    messages: {
      noKeyId:
        'Grafana {{version}} gives the key_file key no kid (key_id arrives in {{since}}), and every Pomerium token carries one (its key\'s thumbprint): every token fails with "no keys found"',
      emptyKeyId:
        'key_file\'s key gets the kid [auth.jwt] key_id, which is empty, and every Pomerium token carries a kid ({{kid}}): every token fails with "no keys found"',
      keyIdMaybe:
        'Grafana {{version}} may not read key_id yet (first seen in {{since}}; the release of PR #72711 is not confirmed): without it the key_file key has no kid, and every Pomerium token fails with "no keys found"',
      wrongKeyId: 'key_id {{keyId}} is not the kid Pomerium signs with ({{kid}}, from {{from}}): every token fails with "no keys found"',
      missing: 'key_file {{path}} does not exist: Grafana cannot load its key, so {{effect}}',
      privateKey:
        'key_file {{path}} holds a private key ({{type}}): go-jose verifies only with public keys ("unsupported key type/format"), newer Grafana refuses it outright; and whoever reads Grafana\'s files can sign tokens',
    },
  },
  check(ctx, report) {
    const grafana = ctx.grafana!;
    // The key set is built only while JWT auth is on (pkg/services/auth/jwt/auth.go ProvideService).
    const setting = jwtEnabled(grafana) ? setValue(ctx, 'auth.jwt', 'key_file') : undefined;
    if (!setting) return;
    const path = setting.value.trim();
    const span = setting.span;
    const signer = signerKid(ctx);
    const kidHint = signer ? `set [auth.jwt] key_id = ${signer.kid}` : 'set [auth.jwt] key_id to the kid of Pomerium\'s key (`grafana-pomerium fetch-jwks` shows it)';

    // key_sets.go initKeySet: the key_file key is `JSONWebKey{Key: key, KeyID: key_id}`; a token's kid selects keys by
    // exact KeyID (go-jose JSONWebKeySet.Key), and Pomerium always sets one (authorize/evaluator headers_evaluator_evaluation.go).
    const keyIdEntry = grafanaKey('auth.jwt', 'key_id')!;
    const keyId = grafana.get('auth.jwt', 'key_id');
    const keyIdValue = keyId?.known ? keyId.value.trim() : undefined;
    if (!isReadIn(keyIdEntry, grafana.version) && keyIdValue && atLeast(grafana.version, KEY_ID_MAYBE_FROM)) {
      // PR #72711 was merged 2023-08-02, before 10.1.0 shipped: 10.1 may already read key_id (UNCONFIRMED).
      report({ messageId: 'keyIdMaybe', severity: 'warning', data: { version: grafana.version, since: keyIdEntry.read?.from ?? '?' }, span, hint: 'upgrade to 10.2 or newer, or use jwk_set_url (its keys carry the kid)' });
    } else if (!isReadIn(keyIdEntry, grafana.version)) {
      report({
        messageId: 'noKeyId',
        data: { version: grafana.version, since: keyIdEntry.read?.from ?? '?' },
        span,
        hint: 'use jwk_set_url (Pomerium\'s /.well-known/pomerium/jwks.json) or jwk_set_file instead: their keys carry the kid',
      });
    } else {
      const value = keyIdValue;
      if (value === '') {
        report({ messageId: 'emptyKeyId', data: { kid: signer?.kid ?? 'its key\'s thumbprint' }, span, hint: kidHint });
      } else if (value !== undefined && signer && value !== signer.kid) {
        report({ messageId: 'wrongKeyId', data: { keyId: value, kid: signer.kid, from: signer.from }, span: keyId!.span ?? span, file: keyId!.span?.file ?? grafana.doc?.file ?? null, hint: kidHint });
      }
    }

    const found = ctx.readFile(path);
    if (found.status === 'missing') {
      report({ messageId: 'missing', data: { path, effect: jwtConfigFailure(grafana.version) }, span, hint: 'mount the PEM public key where Grafana runs, or fix the path' });
    } else if (found.status === 'ok') {
      const type = FIRST_PEM_TYPE.exec(found.text)?.[1];
      if (type && PRIVATE_TYPES.has(type)) {
        report({ messageId: 'privateKey', data: { path, type }, span, hint: 'put only the public key in key_file (`openssl pkey -in key.pem -pubout`), or use jwk_set_url' });
      }
    }
  },
});
