import type { SessionFacts } from '#domain/account-access.ts';

/**
 * What a token Cognito has just issued to us over TLS (not one a client sent) says: reading its payload
 * without verifying the signature is safe here, and saves a JWKS fetch.
 */
const payloadOf = (token: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
};

export const subjectOfIssuedToken = (token: string): string | undefined => {
  const sub = payloadOf(token)?.sub;
  return typeof sub === 'string' ? sub : undefined;
};

export interface IssuedTokenFacts {
  sub: string;
  /** The `cognito:groups` claim as it is (shared/http/claims.ts parses it). */
  groupsClaim: unknown;
  session: SessionFacts;
}

/** The user, groups and sign-in of an access token Cognito just issued. */
export const factsOfIssuedToken = (accessToken: string): IssuedTokenFacts | undefined => {
  const payload = payloadOf(accessToken);
  const sub = payload?.sub;
  const authTime = Number(payload?.auth_time ?? payload?.iat);
  const originId = payload?.origin_jti ?? payload?.jti;
  if (typeof sub !== 'string' || !Number.isSafeInteger(authTime) || typeof originId !== 'string')
    return undefined;
  return { sub, groupsClaim: payload?.['cognito:groups'], session: { authTime, originId } };
};
