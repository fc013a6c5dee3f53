// Pomerium's environment variables: each option's name in upper case, bound by Viper, overriding
// the config file. Empty variables count as unset (Viper's default, AllowEmptyEnv off).
import { isSeq, parseDocument } from 'yaml';
import type { Located, Span } from '../core/span.js';
import type { PomeriumModel, PomeriumRoute } from './model-types.js';
import {
  YAML_OPTIONS,
  claimsHeadersFromString,
  emptyModel,
  parseIssuerFormat,
  readRoutes,
  weakBool,
  yamlErrorMessage,
  type ReadContext,
} from './read.js';

/** Where each variable was defined, when it came from an env file. */
export type EnvSpans = Map<string, { nameSpan: Span; valueSpan: Span }>;

export function pomeriumFromEnv(env: Record<string, string | undefined>, base: PomeriumModel | null, spans?: EnvSpans): PomeriumModel {
  const model: PomeriumModel = { ...(base ?? emptyModel(null)) };
  model.errors = [...model.errors];
  model.valueProblems = [...model.valueProblems];
  const get = (name: string): Located<string> | null => {
    const value = env[name];
    return value === undefined || value === '' ? null : { value, span: spans?.get(name)?.valueSpan ?? null };
  };

  const url = get('AUTHENTICATE_SERVICE_URL');
  if (url) model.authenticateServiceUrl = url;

  const pass = get('PASS_IDENTITY_HEADERS');
  if (pass) {
    const result = weakBool('PASS_IDENTITY_HEADERS', pass.value);
    if ('problem' in result) model.valueProblems.push({ message: result.problem, span: pass.span });
    else model.passIdentityHeaders = { value: result.value, span: pass.span };
  }

  // Only the string form: a JSON object in the variable is split like any other string.
  const claims = get('JWT_CLAIMS_HEADERS');
  if (claims) model.jwtClaimsHeaders = { value: claimsHeadersFromString(claims.value), span: claims.span };

  const issuer = get('JWT_ISSUER_FORMAT');
  if (issuer) {
    const format = parseIssuerFormat(issuer.value);
    if (format) model.jwtIssuerFormat = { value: format, span: issuer.span };
    else model.valueProblems.push({ message: `unsupported enum value ${issuer.value} for IssuerFormat`, span: issuer.span });
  }

  const key = get('SIGNING_KEY');
  if (key) model.signingKey = { kind: 'inline', span: key.span, text: key.value };
  const keyFile = get('SIGNING_KEY_FILE');
  if (keyFile) model.signingKeyFile = { kind: 'file', span: keyFile.span, path: keyFile.value };
  const secret = get('SHARED_SECRET');
  if (secret) model.sharedSecret = secret;
  const secretFile = get('SHARED_SECRET_FILE');
  if (secretFile) model.sharedSecretFile = secretFile;

  const policy = routesFromEnv(model, 'POLICY', 'policy', get('POLICY'));
  const routes = routesFromEnv(model, 'ROUTES', 'routes', get('ROUTES'));
  if (policy || routes) {
    const merged = [...(policy ?? model.routes.filter((r) => r.list === 'policy')), ...(routes ?? model.routes.filter((r) => r.list === 'routes'))];
    model.routes = merged.map((r, index) => ({ ...r, index }));
  }
  return model;
}

/** Go's base64.StdEncoding: padded, standard alphabet; it skips CR and LF. */
function decodeStdBase64(text: string): string | null {
  const s = text.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, 'base64').toString('utf8');
}

/**
 * `ROUTES`/`POLICY`: base64 of a YAML list of routes (Pomerium's DecodePolicyBase64Hook). Replaces the
 * file's list of the same name; null when the variable is unset. Every position is the variable's value.
 */
function routesFromEnv(
  model: PomeriumModel,
  name: string,
  list: 'routes' | 'policy',
  value: Located<string> | null,
): PomeriumRoute[] | null {
  if (!value) return null;
  const fail = (message: string): PomeriumRoute[] => {
    model.errors.push({ message: `${name}: ${message}`, span: value.span });
    return [];
  };
  // Viper splits the string on commas first; the hook wants exactly one piece.
  const pieces = value.value.split(',').length;
  if (pieces !== 1) return fail(`base64 policy data: expecting 1, got ${pieces}`);
  const yaml = decodeStdBase64(value.value);
  if (yaml === null) return fail('base64 decoding policy data: not valid standard (padded) base64');
  const doc = parseDocument(yaml, YAML_OPTIONS);
  const first = doc.errors[0];
  if (first) return fail(`parsing base64-encoded policy data as yaml: ${yamlErrorMessage(first.message)}`);
  if (!isSeq(doc.contents)) return fail('parsing base64-encoded policy data as yaml: expected a list of routes');
  const ctx: ReadContext = { doc, spanOf: () => value.span, problems: model.valueProblems };
  return readRoutes(ctx, { value: doc.contents, valueSpan: value.span }, list, 'env', 0);
}
