// JMESPath as Grafana's `util.SearchJSONForStringAttr` / `SearchJSONForStringSliceAttr` use it. Newer Grafana
// uses the JMESPath Community dialect (github.com/jmespath-community/go-jmespath); this is its TS twin.
import { search, type JSONValue } from '@jmespath-community/jmespath';

export type SearchResult<T> = { value: T } | { error: string };

function evaluate(path: string, claims: Record<string, unknown>): { value: unknown } | { error: string } {
  try {
    return { value: search(claims as JSONValue, path) };
  } catch (err) {
    return { error: `failed to search the claims with ${JSON.stringify(path)}: ${(err as Error).message}` };
  }
}

/** A string result, or '' for anything else (a number, a list, null): Grafana's rule for login, email and role. */
export function searchString(path: string, claims: Record<string, unknown>): SearchResult<string> {
  const result = evaluate(path, claims);
  if ('error' in result) return result;
  return { value: typeof result.value === 'string' ? result.value : '' };
}

/** The strings of an array result ([] for a non-array): Grafana's rule for groups and org paths. */
export function searchStringArray(path: string, claims: Record<string, unknown>): SearchResult<string[]> {
  const result = evaluate(path, claims);
  if ('error' in result) return result;
  return { value: Array.isArray(result.value) ? result.value.filter((v): v is string => typeof v === 'string') : [] };
}
