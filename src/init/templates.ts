// The texts init fills in (templates/init/*.txt): the header of its output and one comment per setting.
import commentsText from '../../templates/init/comments.txt';
import envAbsentKeyText from '../../templates/init/env-absent-key.txt';
import headerText from '../../templates/init/header.txt';

/** `{name}` placeholders replaced by `data[name]`. */
export function fillTemplate(template: string, data: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => data[name] ?? whole);
}

/** "[section] key: comment" lines, keyed by `section key`. */
const COMMENTS = new Map(
  [...commentsText.matchAll(/^\[([^\]]+)\] (\S+): (.*)$/gm)].map((m) => [`${m[1]} ${m[2]}`, m[3]!] as const),
);

export function commentFor(section: string, key: string, data: Record<string, string> = {}): string {
  const template = COMMENTS.get(`${section} ${key}`);
  if (template === undefined) throw new Error(`templates/init/comments.txt has no comment for [${section}] ${key}`);
  return fillTemplate(template, data);
}

/** The header lines of init's output (without comment markers). */
export function headerLines(data: { from: string; where: string }): string[] {
  return fillTemplate(headerText, data).trimEnd().split('\n');
}

export function envAbsentKeyNote(data: { version: string; name: string; section: string; key: string }): string {
  return fillTemplate(envAbsentKeyText, data).trimEnd();
}
