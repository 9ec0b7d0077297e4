import { isGroup, type Group } from '#contract/identity.ts';
import { isOriginId, type SessionFacts } from '#domain/account-access.ts';
import { ANONYMOUS, type Principal } from '#domain/principal.ts';

/**
 * Parses `cognito:groups` in every form it reaches a handler: a real array (local tooling, HTTP APIs),
 * `"[admin manager]"` / `"[admin, manager]"` (REST API authorizer stringification) or `"admin,manager"`.
 * Unknown group names are dropped: only the roles of GROUPS (docs/privacy.md) mean anything here.
 */
export const parseGroups = (raw: unknown): Group[] => {
  let names: string[];
  if (Array.isArray(raw)) {
    names = raw.filter((value): value is string => typeof value === 'string');
  } else if (typeof raw === 'string') {
    const inner = raw.trim().replace(/^\[/, '').replace(/\]$/, '');
    names = inner.split(/[\s,]+/);
  } else {
    names = [];
  }
  const groups = names.map((name) => name.trim().replace(/^"|"$/g, '')).filter(isGroup);
  return [...new Set(groups)];
};

/** OAuth scopes arrive as one space-separated string. */
export const parseScopes = (raw: unknown): string[] =>
  typeof raw === 'string' ? raw.split(' ').filter(Boolean) : Array.isArray(raw) ? raw.map(String) : [];

const claimString = (claims: Record<string, unknown>, name: string): string | undefined => {
  const value = claims[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

/** A numeric claim: a number locally, its decimal text through the REST authorizer. */
const claimSeconds = (claims: Record<string, unknown>, name: string): number | undefined => {
  const value = claims[name];
  const seconds = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : undefined;
};

/**
 * The sign-in a user's token descends from: `auth_time` (the same across refreshes; `iat` where a token
 * lacks it) and `origin_jti` (shared by the sign-in's tokens; the token's own `jti` where absent, which
 * then names just this token). Undefined when the token carries neither time or neither id: such a
 * principal is refused by the account check.
 */
const sessionOf = (claims: Record<string, unknown>): SessionFacts | undefined => {
  const authTime = claimSeconds(claims, 'auth_time') ?? claimSeconds(claims, 'iat');
  const originId = claimString(claims, 'origin_jti') ?? claimString(claims, 'jti');
  return authTime !== undefined && originId !== undefined && isOriginId(originId)
    ? { authTime, originId }
    : undefined;
};

/**
 * Builds the principal from authorizer claims (access tokens). A client-credentials token has no
 * `username` and its `sub` is the client id; a user's token has both `username` and `sub`.
 */
export const principalFromClaims = (claims: Record<string, unknown> | null | undefined): Principal => {
  if (!claims) return ANONYMOUS;
  const sub = claimString(claims, 'sub');
  const clientId = claimString(claims, 'client_id');
  if (!sub || !clientId) return ANONYMOUS;
  const scopes = parseScopes(claims.scope);
  const username = claimString(claims, 'username') ?? claimString(claims, 'cognito:username');
  if (!username && sub === clientId) {
    const issuedAt = claimSeconds(claims, 'iat');
    return { kind: 'machine', clientId, scopes, ...(issuedAt !== undefined ? { issuedAt } : {}) };
  }
  const roles: Group[] = [
    'employee',
    ...parseGroups(claims['cognito:groups']).filter((g) => g !== 'employee'),
  ];
  const session = sessionOf(claims);
  return {
    kind: 'user',
    sub,
    username: username ?? sub,
    roles,
    scopes,
    clientId,
    ...(session ? { session } : {}),
  };
};
