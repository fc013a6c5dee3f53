import { describe, expect, it } from 'vitest';
import { parseUrl } from '../../src/core/url.js';

describe('parseUrl', () => {
  it('parses a URL, ignoring white space around it', () => {
    expect(parseUrl(' https://Grafana.example.com:443/x \u00a0')?.href).toBe('https://grafana.example.com/x');
  });

  it('gives null for what is not a URL', () => {
    expect(parseUrl('grafana.example.com')).toBeNull();
    expect(parseUrl('')).toBeNull();
  });
});
