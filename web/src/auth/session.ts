import { computed, signal } from '@preact/signals';
import type { ConsoleRuntimeConfig } from '../runtime-config.ts';
import { challengeOf, randomToken } from './pkce.ts';

/**
 * The signed-in session: authorization code + PKCE (S256) against the managed login, tokens held in
 * this module's memory only (never localStorage or sessionStorage: a reload signs in again, which the
 * managed login makes quick), refreshed a minute before the access token expires, and a sign-out that
 * ends the sign-in at the API (its refresh token revoked, every access token issued from it refused at
 * once) and then the managed login's own session, so that no tab and no cookie stays signed in.
 *
 * The one thing kept across the redirect to the managed login is the PKCE verifier and the state, in
 * sessionStorage (this tab only), removed as soon as the code is exchanged: they are not credentials
 * (the code they redeem is single-use and bound to this client and redirect URI).
 */

export type Role = 'employee' | 'manager' | 'clinician' | 'admin' | 'auditor';

interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string | undefined;
  /** Epoch ms the access token expires. */
  expiresAt: number;
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

const PENDING_KEY = 'mha.console.pkce';
export const SCOPES = 'openid email profile aws.cognito.signin.user.admin';
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

const tokens = signal<Tokens | undefined>(undefined);
let config: ConsoleRuntimeConfig | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

const claimsOf = (jwt: string): Record<string, unknown> => {
  const part = jwt.split('.')[1] ?? '';
  const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  return JSON.parse(json) as Record<string, unknown>;
};

export const currentUser = computed<SignedInUser | undefined>(() => {
  const current = tokens.value;
  if (!current) return undefined;
  const id = claimsOf(current.idToken);
  const access = claimsOf(current.accessToken);
  const groups = access['cognito:groups'] ?? id['cognito:groups'] ?? [];
  return {
    id: String(access.sub ?? id.sub),
    email: String(id.email ?? ''),
    name: String(id.name ?? id.email ?? ''),
    roles: (Array.isArray(groups) ? groups : String(groups).split(',')).filter(Boolean) as Role[],
  };
});

export const accessToken = (): string | undefined => tokens.value?.accessToken;

export const configure = (runtime: ConsoleRuntimeConfig): void => {
  config = runtime;
};

const required = (): ConsoleRuntimeConfig => {
  if (!config) throw new Error('The console is not configured');
  return config;
};

const redirectUri = () => `${location.origin}/auth/callback`;

export class SignInError extends Error {}

/** Leaves for the managed login; comes back to /auth/callback. */
export const startSignIn = async (returnTo = location.pathname): Promise<void> => {
  const { authUrl, clientId } = required();
  const verifier = randomToken();
  const state = randomToken();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri(),
    scope: SCOPES,
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  location.assign(`${authUrl}/oauth2/authorize?${query}`);
};

const tokenRequest = async (form: Record<string, string>): Promise<Record<string, unknown>> => {
  const response = await fetch(`${required().authUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok)
    throw new SignInError(`The sign-in service refused: ${String(body.error ?? response.status)}`);
  return body;
};

const accept = (body: Record<string, unknown>, previousRefresh?: string) => {
  const expiresIn = Number(body.expires_in ?? 3600);
  tokens.value = {
    accessToken: String(body.access_token),
    idToken: String(body.id_token ?? tokens.value?.idToken ?? ''),
    // Without rotation, a refresh answers no new refresh token: the old one stays good.
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : previousRefresh,
    expiresAt: Date.now() + expiresIn * 1000,
  };
  scheduleRefresh();
};

const scheduleRefresh = () => {
  clearTimeout(refreshTimer);
  const current = tokens.value;
  if (!current?.refreshToken) return;
  const delay = Math.max(5_000, current.expiresAt - Date.now() - REFRESH_MARGIN_MS);
  refreshTimer = setTimeout(() => void refreshNow(), delay);
};

/** Trades the refresh token for a new access token; a refused refresh ends the session. */
export const refreshNow = async (): Promise<void> => {
  const current = tokens.value;
  if (!current?.refreshToken) return;
  try {
    accept(
      await tokenRequest({
        grant_type: 'refresh_token',
        client_id: required().clientId,
        refresh_token: current.refreshToken,
      }),
      current.refreshToken,
    );
  } catch {
    clearSession();
  }
};

/** Back from the managed login: checks the state and redeems the code with the PKCE verifier. */
export const completeSignIn = async (url: URL): Promise<string> => {
  const pending = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const error = url.searchParams.get('error');
  if (error) throw new SignInError(`Sign-in did not complete: ${error}`);
  const code = url.searchParams.get('code');
  const state = url.searchParams.get('state');
  const saved = pending
    ? (JSON.parse(pending) as { verifier: string; state: string; returnTo: string })
    : undefined;
  if (!code || !saved || state !== saved.state)
    throw new SignInError('This sign-in link is not one this tab started. Please sign in again.');
  accept(
    await tokenRequest({
      grant_type: 'authorization_code',
      client_id: required().clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier,
    }),
  );
  return saved.returnTo.startsWith('/') && !saved.returnTo.startsWith('/auth/') ? saved.returnTo : '/';
};

export const clearSession = (): void => {
  clearTimeout(refreshTimer);
  tokens.value = undefined;
};

/**
 * Signs out everywhere: the API ends the sign-in (refresh token revoked, its access tokens refused),
 * then the managed login ends its own session cookie and sends the browser back to the console's front page.
 */
export const signOut = async (endSignIn: (refreshToken: string) => Promise<unknown>): Promise<void> => {
  const refreshToken = tokens.value?.refreshToken;
  if (refreshToken) await endSignIn(refreshToken).catch(() => undefined);
  clearSession();
  const { authUrl, clientId } = required();
  location.assign(
    `${authUrl}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: `${location.origin}/` })}`,
  );
};
