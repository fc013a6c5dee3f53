// A Pomerium config with one Grafana route that a domain policy opens, signing with a shared_secret:
// pomerium.md 3.2 vector 4, the secret Pomerium v0.33+ derives its signing key from
// (pomerium/pomerium v0.33.0 config/options.go deriveSigningKey; v0.28.0 derives none).
export const SHARED_SECRET = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU2Nzg5MCsvQUFBQT0=';

/** `top` goes between shared_secret and routes (e.g. `jwt_claims_headers: [email]\n`). */
export function grafanaRouteConfig(top = ''): string {
  return `shared_secret: ${SHARED_SECRET}
${top}routes:
  - from: https://grafana.example.com
    to: http://grafana:3000
    pass_identity_headers: true
    policy:
      - allow:
          or:
            - domain:
                is: example.com
`;
}
