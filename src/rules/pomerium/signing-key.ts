import type { Span } from '../../core/span.js';
import { atLeast } from '../../grafana/version.js';
import type { PomeriumModel } from '../../pomerium/model-types.js';
import { defineRule } from '../types.js';

const GENERATE = 'generate one with `openssl ecparam -genkey -name prime256v1 -noout | base64 -w0` and set signing_key (or signing_key_file)';

/** Where a top-level option is written (its key), else its value's place (an env file line). */
function keySpan(model: PomeriumModel, name: string, fallback: Span | null = null): Span | null {
  return model.topLevelKeys.find((k) => k.name.toLowerCase() === name)?.span ?? fallback;
}

/** Where a missing signing_key belongs: beside the shared secret it is derived from (its file wins), else at the first option. */
function missingKeyAnchor(model: PomeriumModel): Span | null {
  const secret = model.sharedSecretFile
    ? keySpan(model, 'shared_secret_file', model.sharedSecretFile.span)
    : keySpan(model, 'shared_secret', model.sharedSecret?.span ?? null);
  return secret ?? model.topLevelKeys[0]?.span ?? null;
}

export default defineRule({
  meta: {
    id: 'pomerium/signing-key',
    description: 'Pomerium has a signing key that Grafana can verify its JWTs with',
    severity: 'error',
    requires: ['pomerium'],
    messages: {
      missingEmptyJwks:
        'no signing_key: Pomerium {{version}} publishes an empty JWKS ({"keys":null}) and signs with a random key made at start, so every Grafana login fails ("failed to verify JWT: no keys found")',
      missingNoSecret:
        'neither signing_key nor shared_secret is set: Pomerium derives its signing key from a random shared secret made at each start, so the JWKS changes on every restart and Grafana\'s cached keys stop matching',
      derived:
        'no signing_key: Pomerium {{version}} derives it from shared_secret, so the JWKS stays the same only as long as shared_secret does (changing shared_secret changes the key Grafana must trust)',
      empty: '{{source}} is empty: Pomerium publishes an empty JWKS ({"keys":null}), so every Grafana login fails ("no keys found")',
      invalid: 'Pomerium cannot read its signing key ({{detail}}): its JWKS endpoint answers HTTP 500 and Grafana cannot verify any JWT',
      unsupported: 'Pomerium cannot sign with this key: {{detail}}',
      cannotSign: 'Pomerium cannot sign with this key set: {{detail}}',
      fileMissing: '{{option}} {{path}} does not exist: Pomerium cannot read it and has no key to sign with',
      fileUnknown: 'could not check {{option}} {{path}}: it is not readable where doctor runs (give --root DIR to say where the container\'s files are)',
      both: 'both signing_key and signing_key_file are set: Pomerium uses signing_key_file and ignores signing_key',
    },
  },
  check(ctx, report) {
    const model = ctx.pomerium!;
    const signing = ctx.signing;
    const file = model.file;
    const configured = model.signingKeyFile ?? model.signingKey;
    if (signing === null) return;

    if (model.signingKey && model.signingKeyFile) {
      report({ messageId: 'both', severity: 'warning', span: keySpan(model, 'signing_key', model.signingKey.span), file, hint: 'delete one of them' });
    }
    const keyAt = { span: configured && keySpan(model, configured.kind === 'file' ? 'signing_key_file' : 'signing_key', configured.span), file };

    if ('unknown' in signing) {
      const { unknown: option, path } = signing;
      const missing = ctx.readFile(path).status === 'missing';
      const at = option === 'shared_secret_file' ? { span: keySpan(model, option, model.sharedSecretFile?.span ?? null), file } : keyAt;
      return report({ messageId: missing ? 'fileMissing' : 'fileUnknown', severity: missing ? 'error' : 'info', data: { option, path }, ...at });
    }
    if ('error' in signing) {
      // Pomerium refuses to start over it: pomerium/invalid-value says so, with the fix for the secret.
      if (signing.sharedSecret) return;
      if (configured && signing.reason === 'none') return report({ messageId: 'empty', data: { source: configured.kind === 'file' ? 'signing_key_file' : 'signing_key' }, ...keyAt, hint: GENERATE });
      if (signing.reason === 'none') {
        const derives = atLeast(ctx.pomeriumVersion, '0.33.0');
        return report({ messageId: derives ? 'missingNoSecret' : 'missingEmptyJwks', data: { version: ctx.pomeriumVersion }, span: missingKeyAnchor(model), file, hint: GENERATE });
      }
      return report({ messageId: signing.reason === 'unsupported' ? 'unsupported' : 'invalid', data: { detail: signing.error }, ...keyAt, hint: GENERATE });
    }
    if (signing.signer === null) return report({ messageId: 'cannotSign', data: { detail: signing.cannotSign }, ...keyAt, hint: 'put a private key first; keep public keys out of signing_key' });
    if (signing.source === 'shared_secret') {
      report({ messageId: 'derived', severity: 'info', data: { version: ctx.pomeriumVersion }, span: missingKeyAnchor(model), file, hint: `to decouple the JWT key from shared_secret, ${GENERATE}` });
    }
  },
});
