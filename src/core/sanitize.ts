// The one sanitizer for everything a person reads: control characters escaped (a config line or a
// served `kid` must not move the cursor, ring the bell or retitle the window), and secrets masked by
// the key that holds them and by the shape of the value (URL userinfo, PEM blocks, long base64).
// Machine formats (JSON, SARIF) escape controls by their own syntax; GitHub workflow commands by the
// runner's rules (`escapeData`/`escapeProperty` in the GitHub reporter).

export const MASK = '****';

/**
 * Option names whose values are secrets in Pomerium, Grafana or an env file: shared_secret, cookie_secret,
 * signing_key, idp_client_secret, idp_service_account, client_secret, certificate_key, passwords, tokens,
 * connection strings, private keys; also misspelt ones (`idp_client_secrt`). Paths to such files (`*_file`) are not secrets.
 */
export function isSecretKey(name: string): boolean {
  const key = name.toLowerCase();
  if (key.endsWith('_file') || key.endsWith('__file')) return false;
  return /(secre?t|secrt|passw|passwd|pwd|signing_key|private|_key$|api_?key|(^|_)token$|service_account|credential|connstr|connection_string|dsn$)/.test(key);
}

// C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides/isolates that reorder what a terminal shows.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
// The same, with newline and tab: for one-line places (a kid, a key name, a source excerpt).
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\e' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text for a terminal: every control character but newline and tab written as a visible escape (`\e`, `\x07`, `\r`). */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** One line for a terminal: like `escapeControls`, newlines and tabs too (a value shown inside a sentence or an excerpt). */
export function escapeControlsInLine(text: string, options: { keepTabs?: boolean } = {}): string {
  return text.replace(CONTROL_OR_BREAK, (ch) => (ch === '\t' && options.keepTabs ? ch : escapeOne(ch)));
}

/** `scheme://user:password@host` → `scheme://user:****@host`; a token alone as userinfo (`https://TOKEN@host`) is hidden whole. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'"`<>]*)@/gi;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;
// Base64 (standard or URL-safe) of 32+ characters that mixes upper and lower case and digits and uses many different
// characters: the shape of keys and secrets (`openssl rand -base64 32`), not of words, paths or hex digests (kids).
const LONG_BASE64 = /[A-Za-z0-9+/_-]{32,}={0,2}/g;

// `password=x` inside a value: a Redis/DSN connection string, a URL query (`?access_token=x`).
const INLINE_SECRET = /\b([A-Za-z_]*(?:password|passwd|pwd|secret|token|apikey|api_key)[A-Za-z_]*)=(?!\*\*\*\*)([^,;&\s"'`]+)/gi;

function looksRandom(token: string): boolean {
  // Standard base64 uses + and /, URL-safe base64 - and _: a token with both kinds is no one encoding but a path
  // (/tmp/gp-users-J2ZBKz/grafana-53iaooscxly.ini, a temp folder's random name).
  if (/[+/]/.test(token) && /[-_]/.test(token)) return false;
  if (!/[A-Z]/.test(token) || !/[a-z]/.test(token) || !/[0-9]/.test(token)) return false;
  const distinct = new Set(token.replace(/=+$/, '')).size;
  return distinct >= Math.min(20, token.length * 0.5);
}

/** Hides what looks like a secret whatever key it is under: URL passwords, PEM blocks, long random base64. */
export function maskSecretShapes(text: string): string {
  return text
    .replace(PEM_BLOCK, (_m, label: string) => `-----BEGIN ${label}-----${MASK}`)
    .replace(URL_USERINFO, (_m, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon < 0 ? `${scheme}${MASK}@` : `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
    })
    .replace(INLINE_SECRET, (whole, name: string) => (/_file$/i.test(name) ? whole : `${name}=${MASK}`))
    .replace(LONG_BASE64, (token) => (looksRandom(token) ? MASK : token));
}

// `key = value`, `key: value`, `KEY=value`, `--key value`-less forms: one assignment per line (ini, YAML, env, a diff's context line).
const ASSIGNMENT = /^([ \t+\-]?[ \t]*(?:-[ \t]+)?["']?)([A-Za-z0-9_.\-]+)(["']?[ \t]*[:=][ \t]*)(.*)$/;

/** Hides the value of an assignment to a secret-looking key on each line (`shared_secret: x`, `password = x`, `GF_..._PASSWORD=x`). */
export function maskSecretAssignments(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const m = ASSIGNMENT.exec(line);
      if (!m || !isSecretKey(m[2]!) || /^\**$/.test(m[4]!.trim()) || /^[|>][-+0-9]*\s*$/.test(m[4]!.trim())) return line;
      return `${m[1]}${m[2]}${m[3]}${MASK}`;
    })
    .join('\n');
}

/** Text that quoted config content, made safe to print: masked by key and by shape, controls escaped. */
export function sanitizeText(text: string, options: { showSecrets?: boolean } = {}): string {
  const masked = options.showSecrets ? text : maskSecretShapes(maskSecretAssignments(text));
  return escapeControls(masked);
}

/** Human output that quotes config, API or token content (emails, logins, route URLs): through sanitizeText. */
export function printSafe(io: { out(text: string): void }, text: string): void {
  io.out(sanitizeText(text));
}

/**
 * Values that came from `$__file{}` / `$__env{}` expansion are never printed: each occurrence of such a
 * value in a message is replaced by the reference that produced it. Short values are matched as whole words only.
 */
export function hideExpandedValues(text: string, expanded: readonly { reference: string; text: string }[]): string {
  let out = text;
  for (const { reference, text: value } of expanded) {
    const trimmed = value.trim();
    if (trimmed === '' || trimmed === reference) continue;
    if (trimmed.length >= 8) {
      out = out.split(trimmed).join(reference);
    } else {
      const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'g'), () => reference);
    }
  }
  return out;
}

/** A URL as it may be printed or stored: userinfo and query values replaced by `****` (`?access_token=****`). */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return maskSecretShapes(url);
  }
  if (parsed.username || parsed.password) {
    parsed.username = MASK;
    parsed.password = '';
  }
  const query = parsed.search ? `?${parsed.search.slice(1).split('&').map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=${MASK}` : pair)).join('&')}` : '';
  parsed.search = '';
  const base = parsed.href.replace(/\?$/, '');
  const hashAt = base.indexOf('#');
  return hashAt < 0 ? base + query : base.slice(0, hashAt) + query + base.slice(hashAt);
}

/**
 * JSON.stringify, with DEL, the C1 controls and the line/paragraph separators escaped as `\uXXXX` too (JSON escapes
 * only U+0000-U+001F): still the same JSON value, and nothing in it can drive a terminal that shows it.
 */
export function jsonText(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(/[\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
