import type { Group } from '#contract/identity.ts';
import type { SessionFacts } from './account-access.ts';

/**
 * Who is calling, as established by the authorizer (API Gateway's Cognito authorizer in AWS, the local
 * gateway's verifier locally). Pure data: the access policy decides on it.
 */
export type Principal =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'user';
      readonly sub: string;
      readonly username: string;
      /** Every signed-in user is an employee; other roles come from Cognito groups. */
      readonly roles: readonly Group[];
      readonly scopes: readonly string[];
      readonly clientId: string;
      /**
       * The sign-in the token descends from, checked against the account on every request
       * (account-access.ts). Always set from a token's claims; absent only on principals the API makes
       * up itself (a registration's audit actor), which never reach the check.
       */
      readonly session?: SessionFacts;
    }
  | {
      readonly kind: 'machine';
      readonly clientId: string;
      readonly scopes: readonly string[];
      /** Epoch second the token was issued (`iat`), checked against the operator's cut for the client. */
      readonly issuedAt?: number;
    };

export const ANONYMOUS: Principal = { kind: 'anonymous' };
