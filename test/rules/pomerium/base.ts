import { POMERIUM_RULES } from '../../../src/rules/pomerium/index.js';
import { BASE_POMERIUM, editText, ruleTester } from '../base.js';

/** The correct pomerium.yaml every fixture varies (the Grafana route's `from` is on line 12). */
export const BASE = BASE_POMERIUM;

/** BASE with each `from` replaced by `to` (each must be there). */
export const edit = (...pairs: [from: string, to: string][]): string => editText(BASE, ...pairs);

/** Only the pomerium/ rules run. */
export const { findings, run } = ruleTester(POMERIUM_RULES);
