// grafana.ini text: the header, then each section with a `; why` line above every key.
import { groupBy } from '../core/group-by.js';
import { renderIniSections } from '../grafana/ini-edit.js';
import type { GrafanaSetting } from './settings.js';

/** The settings grouped by section, in first-seen order. */
export function bySection(settings: readonly GrafanaSetting[]): { name: string; keys: GrafanaSetting[] }[] {
  return [...groupBy(settings, (s) => s.section)].map(([name, keys]) => ({ name, keys }));
}

export function renderIni(settings: readonly GrafanaSetting[], header: readonly string[]): string {
  return `${header.map((line) => `; ${line}\n`).join('')}\n${renderIniSections(bySection(settings))}`;
}
