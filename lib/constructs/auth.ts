import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  GROUPS,
  IDENTITY_NAMES,
  MACHINE_SCOPES,
  RESOURCE_SERVER_ID,
} from '../../shared/contract/identity.ts';
import { ENV } from '../../shared/contract/runtime-env.ts';
import type { StageConfig } from '../config/index.ts';
import { ServiceFunction } from './api-function.ts';
import { managedLoginAssets } from './branding.ts';

export interface AuthProps {
  readonly config: StageConfig;
  /** The post-confirmation trigger writes the new user's profile and its audit record here. */
  readonly table: dynamodb.ITable;
}

/** Cognito waits at most 5 s for a trigger; a slower one fails the sign-up anyway. */
const TRIGGER_TIMEOUT = Duration.seconds(5);

/** The only Cognito action the post-confirmation trigger calls (on its own pool). */
export const POST_CONFIRMATION_ACTIONS = ['cognito-idp:AdminAddUserToGroup'] as const;

/** How long a rotated-out refresh token still works, for client retries (0-60 s). */
const REFRESH_ROTATION_GRACE = Duration.seconds(10);

/** `mha-api/analyses.write` → `analyses.write`: the resource server declares scopes without its prefix. */
const scopeName = (scope: string): string => scope.slice(RESOURCE_SERVER_ID.length + 1);

const MFA: Record<StageConfig['cognito']['mfa'], cognito.Mfa> = {
  off: cognito.Mfa.OFF,
  optional: cognito.Mfa.OPTIONAL,
  required: cognito.Mfa.REQUIRED,
};

const THREAT_PROTECTION: Record<
  StageConfig['cognito']['threatProtection'],
  cognito.StandardThreatProtectionMode
> = {
  off: cognito.StandardThreatProtectionMode.NO_ENFORCEMENT,
  audit: cognito.StandardThreatProtectionMode.AUDIT_ONLY,
  enforced: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
};

const GROUP_DESCRIPTIONS: Record<(typeof GROUPS)[number], string> = {
  employee: 'Every user: own data only',
  manager: 'Department managers: anonymised aggregates of their departments',
  clinician: 'Wellbeing clinicians: consented users and risk alerts',
  admin: 'Organisation administrators: users, departments, roles; never individual health data',
  auditor: 'Data-protection officers: the full audit trail, nothing else (provisioned by the operator)',
};

/**
 * The stage's Cognito user pool: e-mail sign-in, the role groups (GROUPS), a first-party API client
 * (USER_PASSWORD_AUTH for /auth/login), a web client (authorization code + PKCE on the managed login)
 * and a machine client (client credentials) for analysis pipelines. Three triggers: pre sign-up limits
 * self sign-up to the stage's e-mail domains (and auto-confirms where the stage does), post confirmation
 * gives a hosted sign-up what /auth/register gives an API one: the `employee` group and a profile, and
 * custom message words the notice a registration of a taken address sends its owner.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly apiClient: cognito.UserPoolClient;
  readonly webClient: cognito.UserPoolClient;
  readonly machineClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly preSignUp: ServiceFunction;
  readonly postConfirmation: ServiceFunction;
  readonly customMessage: ServiceFunction;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    const { config, table } = props;
    const c = config.cognito;
    if (c.threatProtection !== 'off' && c.featurePlan !== 'PLUS') {
      throw new Error(`Stage ${config.stage}: Cognito threat protection needs featurePlan PLUS`);
    }

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: IDENTITY_NAMES.userPool(config.stage),
      signInAliases: { email: true },
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      selfSignUpEnabled: c.selfSignUp,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        // CDK refuses a history size on the LITE plan; the config schema already does.
        ...(c.passwordHistorySize > 0 ? { passwordHistorySize: c.passwordHistorySize } : {}),
      },
      mfa: MFA[c.mfa],
      ...(c.mfa === 'off' ? {} : { mfaSecondFactor: { otp: true, sms: false } }),
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan[c.featurePlan],
      ...(c.featurePlan === 'PLUS'
        ? { standardThreatProtectionMode: THREAT_PROTECTION[c.threatProtection] }
        : {}),
      deletionProtection: config.retainData,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // Triggers read their settings from the event and the environment, never the pool's id or a client
    // id: the pool refers to the functions, so a reference back would be a circular dependency.
    this.preSignUp = new ServiceFunction(this, 'PreSignUp', {
      config,
      name: 'trigger.preSignUp',
      entry: 'functions/triggers/pre-sign-up.ts',
      description: 'Cognito pre sign-up: allowed e-mail domains, auto-confirmation per stage',
      timeout: TRIGGER_TIMEOUT,
      environment: {
        [ENV.allowedEmailDomains]: c.allowedEmailDomains.join(','),
        [ENV.autoConfirm]: String(c.autoConfirm),
      },
    });
    this.userPool.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, this.preSignUp.function);

    this.postConfirmation = new ServiceFunction(this, 'PostConfirmation', {
      config,
      name: 'trigger.postConfirmation',
      entry: 'functions/triggers/post-confirmation.ts',
      description: 'Cognito post confirmation: employee group, profile and audit record',
      timeout: TRIGGER_TIMEOUT,
    });
    this.postConfirmation.bindTable(table, 'PUT');
    this.userPool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, this.postConfirmation.function);
    // A grant through the role's default policy would close a cycle (pool → function → its default
    // policy → pool ARN): the function waits for its default policy. A separate policy waits for the
    // pool instead, and nothing waits for it.
    const role = this.postConfirmation.function.role;
    if (!role) throw new Error('The post-confirmation function has no role');
    new iam.Policy(this, 'PostConfirmationPoolPolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: [...POST_CONFIRMATION_ACTIONS],
          resources: [this.userPool.userPoolArn],
        }),
      ],
    });

    // The e-mail a registration of a taken address sends its owner (functions/auth/register.ts).
    this.customMessage = new ServiceFunction(this, 'CustomMessage', {
      config,
      name: 'trigger.customMessage',
      entry: 'functions/triggers/custom-message.ts',
      description: 'Cognito custom message: the notice of a registration attempt on a taken address',
      timeout: TRIGGER_TIMEOUT,
    });
    this.userPool.addTrigger(cognito.UserPoolOperation.CUSTOM_MESSAGE, this.customMessage.function);

    for (const group of GROUPS) {
      this.userPool.addGroup(`Group-${group}`, { groupName: group, description: GROUP_DESCRIPTIONS[group] });
    }

    // Hosts the OAuth endpoints: the machine client's token endpoint and the web client's login, on
    // managed login (version 2; the classic hosted UI is version 1), styled per client below.
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: c.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    const tokenValidity = {
      accessTokenValidity: Duration.minutes(c.accessTokenMinutes),
      idTokenValidity: Duration.minutes(c.accessTokenMinutes),
      refreshTokenValidity: Duration.days(c.refreshTokenDays),
      // The L2 turns rotation on with a grace period, and then leaves ALLOW_REFRESH_TOKEN_AUTH out:
      // rotating clients refresh through GetTokensFromRefreshToken or the token endpoint (Cognito's rule).
      ...(c.refreshTokenRotation ? { refreshTokenRotationGracePeriod: REFRESH_ROTATION_GRACE } : {}),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    };

    this.apiClient = this.userPool.addClient('ApiClient', {
      userPoolClientName: IDENTITY_NAMES.apiClient,
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      ...tokenValidity,
    });

    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: IDENTITY_NAMES.webClient,
      // A public client (no secret): the browser proves itself with PKCE on the code exchange.
      generateSecret: false,
      // Managed login only: no password or SRP flows of its own. Every flag is spelled out so that the
      // client lists its flows instead of getting Cognito's defaults (which include SRP and custom auth);
      // what remains is ALLOW_REFRESH_TOKEN_AUTH, or nothing where refresh tokens rotate.
      authFlows: {
        user: false,
        userSrp: false,
        userPassword: false,
        adminUserPassword: false,
        custom: false,
      },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        // COGNITO_ADMIN puts aws.cognito.signin.user.admin in the access token, the scope our methods demand.
        scopes: [
          cognito.OAuthScope.OPENID,
          cognito.OAuthScope.EMAIL,
          cognito.OAuthScope.PROFILE,
          cognito.OAuthScope.COGNITO_ADMIN,
        ],
        callbackUrls: c.callbackUrls,
        logoutUrls: c.logoutUrls,
      },
      ...tokenValidity,
    });

    // The web client's managed login pages carry the project's branding (branding.ts), per stage.
    new cognito.CfnManagedLoginBranding(this, 'WebClientBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.webClient.userPoolClientId,
      assets: managedLoginAssets(config.stage),
    });

    const analysesWrite = new cognito.ResourceServerScope({
      scopeName: scopeName(MACHINE_SCOPES.analysesWrite),
      scopeDescription: 'Store analysis results',
    });
    const resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: RESOURCE_SERVER_ID,
      scopes: [analysesWrite],
    });

    this.machineClient = this.userPool.addClient('MachineClient', {
      userPoolClientName: IDENTITY_NAMES.machineClient,
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [cognito.OAuthScope.resourceServer(resourceServer, analysesWrite)],
      },
      accessTokenValidity: Duration.minutes(60),
      enableTokenRevocation: true,
    });
  }
}
