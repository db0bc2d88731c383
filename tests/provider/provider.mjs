// A real OAuth2/OpenID provider for the OAuth2 mailbox tests (tests/it/oauth_provider.rs):
// node's `oidc-provider` (pinned by package.json and package-lock.json beside this file,
// installed by scripts/test), configured for what a mail provider does: the device
// authorization grant (RFC 8628), the authorization code grant with PKCE and a loopback
// redirect (RFC 7636, RFC 8252: Google's sign-in for installed apps), refresh tokens, revocation, and JWT access tokens (RFC 9068)
// signed RS256, which the test's Dovecot validates locally with the public key written here.
//
// Environment: PORT (loopback), ACCESS_TTL (seconds an access token lives), KEY_DIR (where
// Dovecot's `local_validation_key_dict` looks keys up: DIR/default/RS256/KID gets the public
// key in PEM). Accounts: any login name, which becomes the token's `sub` and `email` (the
// mailbox address Dovecot logs in). Prints "ready" once it listens.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const accessTtl = Number(process.env.ACCESS_TTL || 60);
const keyDir = process.env.KEY_DIR;
const kid = 'cadenced-test';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
if (keyDir) {
  mkdirSync(`${keyDir}/default/RS256`, { recursive: true, mode: 0o755 });
  writeFileSync(`${keyDir}/default/RS256/${kid}`, publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o644 });
}

const resource = 'urn:cadenced:mail';
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'cadenced',
      token_endpoint_auth_method: 'none',
      // An installed app (RFC 8252): its loopback redirect may come back on any port, and
      // the authorization code grant needs PKCE (S256).
      application_type: 'native',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/'],
    },
  ],
  jwks: { keys: [jwk] },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, email: id }; } };
  },
  scopes: ['openid', 'offline_access', 'mail'],
  features: {
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'mail',
        audience: resource,
        accessTokenTTL: accessTtl,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  // Dovecot 2.3 takes a JWT only with the header `typ: JWT` (RFC 9068 says `at+jwt`).
  formats: { customizers: { jwt(ctx, token, jwt) { jwt.header = { typ: 'JWT' }; } } },
  // The mailbox address Dovecot logs in (its `username_attribute`).
  extraTokenClaims: async (ctx, token) => ({ email: token.accountId }),
  ttl: {
    AccessToken: accessTtl,
    DeviceCode: 600,
    RefreshToken: 24 * 3600,
    Grant: 24 * 3600,
    Session: 3600,
    Interaction: 600,
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));
provider.on('grant.error', (ctx, err) => console.error('grant.error', err.message, err.error_description || ''));
provider.on('grant.success', () => console.error('grant.success'));
provider.listen(port, '127.0.0.1', () => console.log('ready'));
