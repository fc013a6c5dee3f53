// docker compose variable interpolation (compose-spec "Interpolation"): `$$`, `$VAR`, `${VAR}`,
// `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`.

export interface Interpolated {
  value: string;
  /** Variables used without a value and without a default (compose warns and uses ""). */
  unset: string[];
  /** `${VAR:?message}` on an unset variable: compose refuses the file. */
  error: string | null;
}

const PATTERN = /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\})/g;

export function interpolate(text: string, vars: Readonly<Record<string, string | undefined>>): Interpolated {
  const unset: string[] = [];
  let error: string | null = null;
  const value = text.replace(PATTERN, (_whole, dollar: string | undefined, bare: string | undefined, name: string | undefined, op: string | undefined, arg = '') => {
    if (dollar) return '$';
    const variable = (bare ?? name)!;
    const current = vars[variable];
    const isSet = current !== undefined;
    const nonEmpty = isSet && current !== '';
    // The colon forms treat an empty variable like an unset one.
    const present = op?.startsWith(':') ? nonEmpty : isSet;
    const nested = () => interpolate(arg, vars);
    switch (op?.replace(':', '')) {
      case '-':
        if (present) return current!;
        return take(nested());
      case '?':
        if (present) return current!;
        error ??= `required variable ${variable} is missing a value${arg ? `: ${arg}` : ''}`;
        return '';
      case '+':
        return present ? take(nested()) : '';
      default:
        if (!isSet) unset.push(variable);
        return current ?? '';
    }
  });
  return { value, unset, error };

  function take(inner: Interpolated): string {
    unset.push(...inner.unset);
    error ??= inner.error;
    return inner.value;
  }
}
