import { randomUUID } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, PostConfirmationTriggerEvent, PostConfirmationTriggerHandler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pointAtEmulators } from './support/in-process.ts';

/**
 * The post-confirmation trigger in-process against the real emulators. Its shared/data clients read
 * process.env once, at import, so the environment is set first and the handler imported after.
 */
const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let handler: PostConfirmationTriggerHandler;
let cognito: CognitoIdentityProviderClient;
let documents: DynamoDBDocumentClient;
let restoreEnv: () => void = () => undefined;

beforeAll(async () => {
  restoreEnv = pointAtEmulators();
  ({ handler } = await import('../../functions/triggers/post-confirmation.ts'));
  cognito = new CognitoIdentityProviderClient({ endpoint: inject('cognitoEndpoint'), region, credentials });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region, credentials }),
  );
});
afterAll(() => {
  restoreEnv();
  cognito.destroy();
  documents.destroy();
});

/** A user as a hosted sign-up leaves it: in the pool, in no group, with no profile. */
const createPoolUser = async (attributes: Record<string, string>) => {
  const email = `hosted-${randomUUID()}@example.com`;
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: inject('userPoolId'),
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries({ email, email_verified: 'true', ...attributes }).map(
        ([Name, Value]) => ({ Name, Value }),
      ),
    }),
  );
  const user = await cognito.send(
    new AdminGetUserCommand({ UserPoolId: inject('userPoolId'), Username: email }),
  );
  const userAttributes = Object.fromEntries(
    (user.UserAttributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']),
  );
  const sub = userAttributes.sub;
  if (!user.Username || !sub) throw new Error('cognito-local returned no username or sub');
  return { email, username: user.Username, sub, userAttributes };
};

const confirmEvent = (
  user: Awaited<ReturnType<typeof createPoolUser>>,
  triggerSource: PostConfirmationTriggerEvent['triggerSource'] = 'PostConfirmation_ConfirmSignUp',
): PostConfirmationTriggerEvent =>
  ({
    version: '1',
    region,
    userPoolId: inject('userPoolId'),
    triggerSource,
    userName: user.username,
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'web-client-id' },
    request: { userAttributes: user.userAttributes },
    response: {},
  }) as PostConfirmationTriggerEvent;

const context = (awsRequestId: string) => ({ awsRequestId }) as Context;
const invoke = (event: PostConfirmationTriggerEvent, requestId = `trigger-${randomUUID()}`) =>
  handler(event, context(requestId), () => undefined) as Promise<PostConfirmationTriggerEvent>;

const groupsOf = async (username: string) =>
  (
    await cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: inject('userPoolId'), Username: username }),
    )
  ).Groups?.map((g) => g.GroupName) ?? [];

const itemsUnder = async (pk: string) =>
  (
    await documents.send(
      new QueryCommand({
        TableName: inject('tableName'),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

describe('post-confirmation trigger on the emulators', () => {
  it('adds a confirmed hosted sign-up to employee and writes its profile with an audit record', async () => {
    const user = await createPoolUser({ name: 'Hosted Person' });
    expect(await groupsOf(user.username)).toEqual([]);
    const event = confirmEvent(user);

    const requestId = `trigger-${randomUUID()}`;
    await expect(invoke(event, requestId)).resolves.toBe(event);

    expect(await groupsOf(user.username)).toEqual(['employee']);
    const [profile, ...others] = await itemsUnder(`USER#${user.sub}`);
    expect(others).toEqual([]);
    expect(profile).toMatchObject({
      SK: 'PROFILE',
      entityType: 'USER',
      id: user.sub,
      email: user.email,
      fullName: 'Hosted Person',
      roles: ['employee'],
      accountState: 'active',
      version: 1,
    });
    expect(profile?.createdAt).toBe(profile?.updatedAt);
    const audits = await itemsUnder(`AUDIT#${user.sub}`);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      entityType: 'AUDIT',
      action: 'auth.register',
      actor: { type: 'user', id: user.sub, roles: ['employee'] },
      resource: { type: 'user', id: user.sub },
      subjectId: user.sub,
      outcome: 'allowed',
      status: 201,
      requestId,
      sourceIp: 'cognito',
      userAgent: 'cognito-post-confirmation',
    });
    // The audit trail holds ids only: no e-mail address.
    expect(JSON.stringify(audits[0])).not.toContain(user.email);
  });

  it('takes no department (nor roles) from a hosted sign-up, whatever attributes reach it', async () => {
    const user = await createPoolUser({ name: 'Self Placed' });
    const event = confirmEvent(user);
    // The pool defines no such attributes; a crafted event still must not place anyone anywhere.
    event.request.userAttributes = {
      ...event.request.userAttributes,
      'custom:departmentId': randomUUID(),
      'custom:roles': 'admin,clinician',
    };
    await invoke(event);
    const [profile] = await itemsUnder(`USER#${user.sub}`);
    expect(profile).toMatchObject({ id: user.sub, roles: ['employee'] });
    expect(profile).not.toHaveProperty('departmentId');
    expect(await groupsOf(user.username)).toEqual(['employee']);
  });

  it('is harmless when invoked twice (a Cognito retry, or after /auth/register wrote the profile)', async () => {
    const user = await createPoolUser({ name: 'Twice Person' });
    await invoke(confirmEvent(user));
    const [first] = await itemsUnder(`USER#${user.sub}`);

    await expect(invoke(confirmEvent(user))).resolves.toMatchObject({ userName: user.username });

    expect(await groupsOf(user.username)).toEqual(['employee']);
    const profiles = await itemsUnder(`USER#${user.sub}`);
    expect(profiles).toEqual([first]);
    expect(await itemsUnder(`AUDIT#${user.sub}`)).toHaveLength(1);
  });

  it('names a sign-up without a name after its e-mail, lower-cased', async () => {
    const user = await createPoolUser({});
    await invoke(confirmEvent(user));
    const [profile] = await itemsUnder(`USER#${user.sub}`);
    expect(profile?.fullName).toBe(user.email.slice(0, user.email.indexOf('@')));
    expect(profile?.email).toBe(user.email.toLowerCase());
  });

  it('creates nothing when a password reset is confirmed', async () => {
    const user = await createPoolUser({ name: 'Reset Person' });
    await invoke(confirmEvent(user, 'PostConfirmation_ConfirmForgotPassword'));
    expect(await groupsOf(user.username)).toEqual([]);
    expect(await itemsUnder(`USER#${user.sub}`)).toEqual([]);
    expect(await itemsUnder(`AUDIT#${user.sub}`)).toEqual([]);
  });
});
