import type { Rule } from '../types.js';
import hostRewriteHeader from './host-rewrite-header.js';
import invalidValue from './invalid-value.js';
import publicRoute from './public-route.js';
import routeTlsSkipVerify from './route-tls-skip-verify.js';
import signingKey from './signing-key.js';
import unknownKey from './unknown-key.js';
import yamlSyntax from './yaml-syntax.js';

/** The pomerium/ rules, in the order their docs list them. */
export const POMERIUM_RULES: Rule[] = [yamlSyntax, invalidValue, unknownKey, signingKey, publicRoute, routeTlsSkipVerify, hostRewriteHeader];
