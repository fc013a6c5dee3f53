import type { Rule } from '../types.js';
import anonymousAuth from './anonymous-auth.js';
import authProxyWhitelist from './auth-proxy-whitelist.js';
import authProxyHeader from './auth-proxy-header.js';
import envIgnored from './env-ignored.js';
import fileExpansion from './file-expansion.js';
import misplacedKey from './misplaced-key.js';
import tlsSkipVerify from './tls-skip-verify.js';
import unknownKey from './unknown-key.js';
import unreadSection from './unread-section.js';
import urlLogin from './url-login.js';
import versionGate from './version-gate.js';
import claimAndPath from './claim-and-path.js';
import duplicate from './duplicate.js';
import iniSyntax from './ini-syntax.js';
import inlineComment from './inline-comment.js';
import invalidValue from './invalid-value.js';
import jwkSetUrlScheme from './jwk-set-url-scheme.js';
import jwtHeaderName from './jwt-header-name.js';
import jwtKeySource from './jwt-key-source.js';
import jwtNotEnabled from './jwt-not-enabled.js';
import skipOrgRoleSync from './skip-org-role-sync.js';

/** The grafana/ rules, in the order their docs list them. */
export const GRAFANA_RULES: Rule[] = [
  iniSyntax,
  jwtNotEnabled,
  jwtHeaderName,
  jwtKeySource,
  jwkSetUrlScheme,
  invalidValue,
  duplicate,
  inlineComment,
  claimAndPath,
  skipOrgRoleSync,
  unreadSection,
  misplacedKey,
  unknownKey,
  versionGate,
  envIgnored,
  fileExpansion,
  anonymousAuth,
  tlsSkipVerify,
  authProxyWhitelist,
  authProxyHeader,
  urlLogin,
] as Rule[];
