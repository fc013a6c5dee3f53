import { readFileSync } from 'node:fs';

/** The correct Grafana-behind-Pomerium pair every cross/ test varies. */
export const GRAFANA = readFileSync(new URL('../../fixtures/rules/_base/grafana.ini', import.meta.url), 'utf8');
export const POMERIUM = readFileSync(new URL('../../fixtures/rules/_base/pomerium.yaml', import.meta.url), 'utf8');

/** `text` with `from` replaced once; fails loudly when the base changed under the test. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`base text lacks ${JSON.stringify(from)}`);
  return text.replace(from, to);
}
