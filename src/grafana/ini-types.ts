import type { LineIndex, Span } from '../core/span.js';

/** How a value was written; go-ini treats each form differently (see ../shared/vectors/go-ini/README.md). */
export type IniQuoting = 'none' | 'double' | 'single' | 'triple' | 'backtick' | 'continuation';

/** One `key = value` line (or multi-line entry) as written in the file, duplicates included. */
export interface IniEntry {
  /** Section name exactly as go-ini sees it (untrimmed, case-sensitive); `DEFAULT` before any header. */
  section: string;
  /** Key name after go-ini's quote removal and trimming (`#1`, `#2`… for `-` keys). */
  key: string;
  /** The stored value, `Key.Value()` (before `%(name)s` interpolation). */
  value: string;
  keySpan: Span;
  /** The value text as written, from its first character to its last (may span lines). */
  valueSpan: Span;
  /** Offsets into the text: the whole entry [start, end) without the final line ending. */
  start: number;
  end: number;
  quoting: IniQuoting;
  /** Text go-ini dropped as an inline comment (`; note`, `#frag`), or null. */
  cutComment: { text: string; span: Span } | null;
}

export interface IniHeader {
  /** Section name exactly as go-ini sees it (between `[` and the last `]`, untrimmed). */
  name: string;
  /** The whole `[...]` header. */
  span: Span;
  start: number;
  end: number;
}

export interface IniComment {
  line: number;
  /** The comment text after `;` or `#`, trimmed. */
  text: string;
  span: Span;
}

/** go-ini's view of one section: keys in first-position order, last value wins (`value` is the stored `Key.Value()`). */
export interface IniSectionView {
  name: string;
  keys: { key: string; value: string }[];
}

/** A parsed grafana.ini: go-ini's result plus positions for everything. */
export interface IniDocument {
  file: string;
  /**
   * Set when the document was rendered from another file (the `grafana.ini:` map of Helm values): spans and
   * offsets point into that file, so text fixes computed for an ini file must not be applied to it.
   */
  origin?: 'helm-values';
  text: string;
  index: LineIndex;
  /** The file started with a UTF-8 BOM; go-ini skips it, and it is not part of `text`. */
  bom: boolean;
  /** go-ini's load error (Grafana refuses to start); when set, `sections` is empty. */
  error: { message: string; span: Span } | null;
  /** What go-ini returns: sections in order (DEFAULT first, always present). */
  sections: IniSectionView[];
  /** Every key entry in file order, duplicates included. */
  entries: IniEntry[];
  /** Every section header in file order, repeated headers included. */
  headers: IniHeader[];
  /** Full-line comments (for `; grafana-pomerium-disable-next-line RULE`). */
  comments: IniComment[];
}
