import { BASE_GRAFANA, BASE_POMERIUM, editText } from '../base.js';

/** The correct Grafana-behind-Pomerium pair every cross/ test varies. */
export const GRAFANA = BASE_GRAFANA;
export const POMERIUM = BASE_POMERIUM;

/** `text` with `from` replaced once; fails loudly when the base changed under the test. */
export const edit = (text: string, from: string, to: string): string => editText(text, [from, to]);
