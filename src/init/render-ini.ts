// grafana.ini text: the header, then each section with a `; why` line above every key.
import { renderIniSections } from '../grafana/ini-edit.js';
import type { GrafanaSetting } from './settings.js';

/** The settings grouped by section, in first-seen order. */
export function bySection(settings: readonly GrafanaSetting[]): { name: string; keys: GrafanaSetting[] }[] {
  const sections = new Map<string, GrafanaSetting[]>();
  for (const s of settings) sections.set(s.section, [...(sections.get(s.section) ?? []), s]);
  return [...sections].map(([name, keys]) => ({ name, keys }));
}

export function renderIni(settings: readonly GrafanaSetting[], header: readonly string[]): string {
  return `${header.map((line) => `; ${line}\n`).join('')}\n${renderIniSections(bySection(settings))}`;
}
