import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  GROUPS,
  IDENTITY_NAMES,
  MACHINE_SCOPES,
  RESOURCE_SERVER_ID,
} from '../../shared/contract/identity.ts';
import type { StageConfig } from '../config/index.ts';

export interface AuthProps {
  readonly config: StageConfig;
}

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
  admin: 'Organisation administrators',
};

/**
 * The stage's Cognito user pool: e-mail sign-in, the four role groups, a first-party API client
 * (USER_PASSWORD_AUTH for /auth/login), a web client (authorization code + PKCE) and a machine client
 * (client credentials) for analysis pipelines. Triggers and managed-login branding come with the auth issue.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly apiClient: cognito.UserPoolClient;
  readonly webClient: cognito.UserPoolClient;
  readonly machineClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    const { config } = props;
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

    for (const group of GROUPS) {
      this.userPool.addGroup(`Group-${group}`, { groupName: group, description: GROUP_DESCRIPTIONS[group] });
    }

    // Hosts the OAuth endpoints: the machine client's token endpoint and the web client's login.
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: c.domainPrefix } });

    const tokenValidity = {
      accessTokenValidity: Duration.minutes(c.accessTokenMinutes),
      idTokenValidity: Duration.minutes(c.accessTokenMinutes),
      refreshTokenValidity: Duration.days(c.refreshTokenDays),
      // Rotation replaces REFRESH_TOKEN_AUTH with GetTokensFromRefreshToken (Cognito's rule).
      ...(c.refreshTokenRotation ? { refreshTokenRotationGracePeriod: Duration.seconds(10) } : {}),
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
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
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
