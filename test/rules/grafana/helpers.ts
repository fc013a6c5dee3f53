import { GRAFANA_RULES } from '../../../src/rules/grafana/index.js';
import { BASE_GRAFANA, editText, ruleTester } from '../base.js';

/** The correct grafana.ini every fixture varies. */
export const BASE = BASE_GRAFANA;

/** BASE with each `from` replaced by `to` (each must be there). */
export const edit = (...pairs: [from: string, to: string][]): string => editText(BASE, ...pairs);

/** Only the grafana/ rules run. */
export const { findings, run } = ruleTester(GRAFANA_RULES);
