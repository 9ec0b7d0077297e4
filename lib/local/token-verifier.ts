import { JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';

/**
 * Verifies bearer access tokens the way API Gateway's Cognito authorizer does: RS256 signature against
 * the pool's JWKS, issuer, expiry/not-before, `token_use = access`, a client of this pool, and at least
 * one of the method's authorization scopes. Every Cognito token has `exp` and `iat`, so a token without
 * an expiry, or issued in the future (beyond a little clock skew), is not one of them: refused.
 *
 * aws-jwt-verify's CognitoJwtVerifier refuses cognito-local's `local_…` pool ids and fetches JWKS over
 * https only, so locally we use its generic JwtVerifier with the same Cognito field checks and JWKS
 * loaded up front over http.
 */
export interface TokenVerifier {
  verifyAccessToken(token: string, requiredScopes: string[]): Promise<JwtPayload>;
}

/** Clock difference tolerated between the token issuer and this machine. */
export const ISSUED_AT_SKEW_SECONDS = 60;

export const createTokenVerifier = async (options: {
  issuer: string;
  /** The pool's app clients; read on every check so clients created later are accepted. */
  clientIds: () => readonly string[];
}): Promise<TokenVerifier> => {
  const jwksUri = `${options.issuer}/.well-known/jwks.json`;
  const response = await fetch(jwksUri);
  if (!response.ok) throw new Error(`Cannot load JWKS from ${jwksUri}: HTTP ${response.status}`);
  const jwks = (await response.json()) as Jwks;

  const verifier = JwtVerifier.create({
    issuer: options.issuer,
    jwksUri,
    audience: null, // Cognito access tokens carry client_id, not aud.
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'access') throw new Error('Not an access token');
      if (typeof payload.exp !== 'number') throw new Error('A token without an expiry');
      if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + ISSUED_AT_SKEW_SECONDS)
        throw new Error('A token issued in the future, or without an issue time');
      if (typeof payload.client_id !== 'string' || !options.clientIds().includes(payload.client_id)) {
        throw new Error('Token was issued to an unknown client');
      }
    },
  });
  verifier.cacheJwks(jwks);

  return {
    verifyAccessToken: (token, requiredScopes) =>
      verifier.verify(token, requiredScopes.length > 0 ? { scope: requiredScopes } : {}),
  };
};
