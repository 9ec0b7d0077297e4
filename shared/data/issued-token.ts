/**
 * The `sub` of a token Cognito has just issued to us over TLS (not one a client sent): reading its
 * payload without verifying the signature is safe here, and saves a JWKS fetch.
 */
export const subjectOfIssuedToken = (token: string): string | undefined => {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      sub?: unknown;
    };
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
};
