/** `text` as a URL, or null when it is not one; white space around it is ignored, as in config values. */
export function parseUrl(text: string): URL | null {
  try {
    return new URL(text.trim());
  } catch {
    return null;
  }
}
