import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signLikeCognitoLocal } from './machine-tokens.ts';

/**
 * LOCAL ONLY: what Cognito does in AWS and cognito-local 5.x does not, as a thin proxy in front of it
 * (every other call passes through unchanged). The handlers, the operator CLI and the tests reach the
 * emulator through it — it is the tokens' issuer too, its JWKS passed through — so the API's session
 * rules can be tried locally exactly as they run in AWS:
 *
 * - `origin_jti`: Cognito puts the id of the sign-in into every token issued from it, the refreshed
 *   ones included; cognito-local puts none. The proxy adds it (the jti of the sign-in's refresh token)
 *   and re-signs the tokens with cognito-local's own key, so the gateway still verifies them.
 * - `auth_time` on refresh: Cognito keeps the time of the sign-in; cognito-local gives the refresh's.
 * - AdminUserGlobalSignOut / GlobalSignOut: cognito-local answers "unsupported". The proxy records the
 *   sign-out and refuses refresh tokens issued before it, as Cognito revokes them.
 * - The e-mail with a password-reset code: cognito-local only prints it, and under bursts not every
 *   time. The proxy reads the code the emulator stored for the user (its own database file) once
 *   ForgotPassword answered, and hands it to the outbox (lib/local/outbox.ts) with its purpose (the
 *   API's ClientMetadata `purpose`: a reset, or a notice that someone tried to register the address).
 */
export interface CognitoShim {
  endpoint: string;
  stop(): Promise<void>;
}

export interface CodeDelivery {
  to: string;
  code: string;
  purpose: string;
}

type Json = Record<string, unknown>;

const payloadOf = (token: unknown): Json | undefined => {
  if (typeof token !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Json;
  } catch {
    return undefined;
  }
};

const resign = (token: unknown, changes: Json): unknown => {
  const payload = payloadOf(token);
  return payload ? signLikeCognitoLocal({ ...payload, ...changes }) : token;
};

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

const cognitoError = (type: string, message: string) => ({
  status: 400,
  body: JSON.stringify({ __type: type, message }),
});

export const startCognitoShim = async (options: {
  upstream: string;
  port?: number;
  /** cognito-local's database folder (<its working directory>/.cognito/db). */
  databaseDir: string;
  /** Each code Cognito would e-mail. */
  onCode: (delivery: CodeDelivery) => void;
}): Promise<CognitoShim> => {
  /** User name → epoch second from which refresh tokens are valid again (a global sign-out). */
  const signedOut = new Map<string, number>();

  /**
   * The code cognito-local stored for the user with this e-mail (it writes its pool files before it
   * answers); a file caught mid-write by another request's save is read again.
   */
  const storedCode = async (email: string): Promise<string | undefined> => {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        for (const file of await readdir(options.databaseDir)) {
          if (!file.endsWith('.json')) continue;
          const pool = JSON.parse(await readFile(join(options.databaseDir, file), 'utf8')) as {
            Users?: Record<
              string,
              { Attributes?: Array<{ Name: string; Value: string }>; ConfirmationCode?: string }
            >;
          };
          for (const user of Object.values(pool.Users ?? {})) {
            const address = user.Attributes?.find((a) => a.Name === 'email')?.Value;
            if (address?.toLowerCase() === email && user.ConfirmationCode) return user.ConfirmationCode;
          }
        }
        return undefined;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    return undefined;
  };

  const forward = async (target: string, body: Buffer, headers: IncomingMessage['headers']) => {
    const response = await fetch(options.upstream, {
      method: 'POST',
      headers: {
        'content-type': String(headers['content-type'] ?? 'application/x-amz-json-1.1'),
        'x-amz-target': target,
        ...(headers.authorization ? { authorization: String(headers.authorization) } : {}),
      },
      body: new Uint8Array(body),
    });
    return { status: response.status, text: await response.text() };
  };

  /** Tokens as Cognito issues them: the sign-in's id in each, the sign-in's time kept on refresh. */
  const withOrigin = (result: Json | undefined, origin: string | undefined, authTime?: number) => {
    if (!result || !origin) return result;
    const changes: Json = { origin_jti: origin, ...(authTime !== undefined ? { auth_time: authTime } : {}) };
    return {
      ...result,
      ...(result.AccessToken ? { AccessToken: resign(result.AccessToken, changes) } : {}),
      ...(result.IdToken ? { IdToken: resign(result.IdToken, changes) } : {}),
    };
  };

  const usernameOfSub = async (poolId: unknown, username: unknown): Promise<string | undefined> => {
    const answer = await forward(
      'AWSCognitoIdentityProviderService.AdminGetUser',
      Buffer.from(JSON.stringify({ UserPoolId: poolId, Username: username })),
      { 'content-type': 'application/x-amz-json-1.1' },
    );
    if (answer.status !== 200) return undefined;
    return (JSON.parse(answer.text) as { Username?: string }).Username;
  };

  const handle = async (target: string, body: Buffer, headers: IncomingMessage['headers']) => {
    const operation = target.split('.').pop() ?? '';
    const input = JSON.parse(body.toString('utf8') || '{}') as Json;
    const nowSeconds = Math.floor(Date.now() / 1000);
    switch (operation) {
      case 'AdminUserGlobalSignOut': {
        const username = await usernameOfSub(input.UserPoolId, input.Username);
        if (!username) return cognitoError('UserNotFoundException', 'User does not exist.');
        signedOut.set(username, nowSeconds + 1);
        return { status: 200, body: '{}' };
      }
      case 'GlobalSignOut': {
        const username = payloadOf(input.AccessToken)?.username;
        if (typeof username !== 'string') return cognitoError('NotAuthorizedException', 'Invalid token');
        signedOut.set(username, nowSeconds + 1);
        return { status: 200, body: '{}' };
      }
      case 'ForgotPassword': {
        const answer = await forward(target, body, headers);
        const email = typeof input.Username === 'string' ? input.Username.toLowerCase() : '';
        const code = answer.status === 200 ? await storedCode(email) : undefined;
        const purpose = (input.ClientMetadata as Json | undefined)?.purpose;
        if (code)
          options.onCode({
            to: email,
            code,
            purpose: typeof purpose === 'string' ? purpose : 'password_reset',
          });
        return { status: answer.status, body: answer.text };
      }
      case 'InitiateAuth': {
        const parameters = (input.AuthParameters ?? {}) as Json;
        const refresh = payloadOf(parameters.REFRESH_TOKEN);
        if (refresh) {
          const username = refresh['cognito:username'];
          const validFrom = typeof username === 'string' ? signedOut.get(username) : undefined;
          if (validFrom !== undefined && Number(refresh.iat) < validFrom)
            return cognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
          const answer = await forward(target, body, headers);
          if (answer.status !== 200) return { status: answer.status, body: answer.text };
          const output = JSON.parse(answer.text) as Json;
          const result = withOrigin(
            output.AuthenticationResult as Json | undefined,
            typeof refresh.jti === 'string' ? refresh.jti : undefined,
            Number(refresh.iat),
          );
          return { status: 200, body: JSON.stringify({ ...output, AuthenticationResult: result }) };
        }
        break;
      }
      default:
        break;
    }
    const answer = await forward(target, body, headers);
    if (answer.status !== 200 || !['InitiateAuth', 'RespondToAuthChallenge'].includes(operation))
      return { status: answer.status, body: answer.text };
    // A new sign-in: its id is its refresh token's (cognito-local's refresh tokens are JWTs).
    const output = JSON.parse(answer.text) as Json;
    const result = output.AuthenticationResult as Json | undefined;
    const origin = payloadOf(result?.RefreshToken)?.jti;
    return {
      status: 200,
      body: JSON.stringify({
        ...output,
        ...(result
          ? { AuthenticationResult: withOrigin(result, typeof origin === 'string' ? origin : randomUUID()) }
          : {}),
      }),
    };
  };

  /** Anything that is not an API call (the JWKS, the emulator's own pages), passed through as it is. */
  const passThrough = async (request: IncomingMessage, body: Buffer) => {
    const answer = await fetch(`${options.upstream}${request.url ?? '/'}`, {
      method: request.method ?? 'GET',
      ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
    });
    return {
      status: answer.status,
      type: answer.headers.get('content-type') ?? 'application/json',
      body: await answer.text(),
    };
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      try {
        const body = await readBody(request);
        const target = String(request.headers['x-amz-target'] ?? '');
        const answer = target
          ? { ...(await handle(target, body, request.headers)), type: 'application/x-amz-json-1.1' }
          : await passThrough(request, body);
        response.writeHead(answer.status, { 'content-type': answer.type });
        response.end(answer.body);
      } catch (error) {
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'InternalErrorException', message: String(error) }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://localhost:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
