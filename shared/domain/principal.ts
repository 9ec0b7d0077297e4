import type { Group } from '#contract/identity.ts';

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
    }
  | { readonly kind: 'machine'; readonly clientId: string; readonly scopes: readonly string[] };

export const ANONYMOUS: Principal = { kind: 'anonymous' };
