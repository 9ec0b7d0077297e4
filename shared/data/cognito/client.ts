import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { runtimeEnv } from '#contract/runtime-env.ts';

/** One Cognito client per execution environment (cognito-local's endpoint in the local runtime). */
const env = runtimeEnv();

export const cognito = new CognitoIdentityProviderClient({
  ...(env.cognitoEndpoint ? { endpoint: env.cognitoEndpoint } : {}),
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 },
});
