import { CROSS_RULES } from './cross/index.js';
import { DEPLOY_RULES } from './deploy/index.js';
import { GRAFANA_RULES } from './grafana/index.js';
import { POMERIUM_RULES } from './pomerium/index.js';
import type { Rule } from './types.js';

/** Every doctor rule. Ids are stable and unique (test/rules/registry.test.ts checks). */
export const ALL_RULES: readonly Rule[] = [...GRAFANA_RULES, ...POMERIUM_RULES, ...CROSS_RULES, ...DEPLOY_RULES];
