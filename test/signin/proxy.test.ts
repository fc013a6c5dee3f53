import { describe, expect, it } from 'vitest';
import { parseWhitelist, proxyHeaderMap } from '../../src/signin/proxy.js';

describe("Grafana's auth proxy settings", () => {
  // pkg/services/authn/clients/proxy.go parseAcceptList/coerceProxyAddress (grafana main): split on ',', trim,
  // path.Join(addr, "32") when there is no '/', then net.ParseCIDR.
  it('parses the whitelist as Grafana does', () => {
    expect(parseWhitelist('')).toEqual({ networks: [] });
    expect(parseWhitelist(' 10.0.0.5 , 172.16.0.0/12')).toEqual({ networks: ['10.0.0.5/32', '172.16.0.0/12'] });
    expect(parseWhitelist('::1')).toEqual({ networks: ['::1/32'] });
    // Go's net.ParseError: "invalid CIDR address: " + text.
    expect(parseWhitelist('pomerium')).toMatchObject({ error: 'could not parse the network: invalid CIDR address: pomerium/32' });
    expect(parseWhitelist('10.0.0.5,')).toMatchObject({ error: 'could not parse the network: invalid CIDR address: 32' });
    expect(parseWhitelist('10.0.0.5 10.0.0.6')).toMatchObject({ entry: '10.0.0.5 10.0.0.6' });
    expect(parseWhitelist('10.0.0.0/33')).toMatchObject({ error: expect.stringContaining('10.0.0.0/33') });
  });

  // pkg/setting readAuthProxySettings: util.SplitString(headers), then strings.SplitN(item, ":", 2).
  it('reads headers as Property:Header pairs', () => {
    expect(proxyHeaderMap('Name:X-Pomerium-Claim-Name Role:X-Role, Email:X-Email')).toEqual({ Name: 'X-Pomerium-Claim-Name', Role: 'X-Role', Email: 'X-Email' });
    expect(proxyHeaderMap('nocolon')).toEqual({});
  });
});
