import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { bundleConsole, CONSOLE_CONFIG_FILE, type ConsoleRuntimeConfig } from '../build/console-bundle.ts';
import type { StageConfig } from '../config/index.ts';
import { CONSOLE_HSTS_SECONDS, consoleContentSecurityPolicy } from '../console-headers.ts';

export interface ConsoleHostingProps {
  readonly config: StageConfig;
}

/**
 * The web console of a stage: its build (lib/build/console-bundle.ts) in a private S3 bucket, served only
 * through CloudFront with origin access control (no public access, no website endpoint), HTTPS only,
 * with the response-headers policy of lib/console-headers.ts (strict CSP without inline script, HSTS,
 * frame denial, no sniffing, no referrer), client-side routing (403/404 from S3 answer index.html), and
 * the stage's `config.json` (API URL, web client id, managed-login domain) written beside the build.
 *
 * Created before the API and the user pool: its origin — the stage's console domain, or the
 * distribution's own name — is what the API's CORS allows (exactly that origin) and where the web
 * client's callback and logout URLs point. The CSP names the managed-login domain exactly and the API as
 * `https://*.execute-api.<region>.amazonaws.com`: naming the API's own id would make the distribution
 * wait for the API, which waits for the distribution's name (a cycle); a custom API domain would let the
 * CSP name it exactly.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  /** `https://<domain>`: the console's origin (a token without a custom domain). */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const { config } = props;
    const region = Stack.of(this).region;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // The build is in the repository: nothing here needs keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      responseHeadersPolicyName: `mha-${config.stage}-console-headers`,
      comment: 'Console: strict CSP (no inline script), HSTS, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy({
            api: `https://*.execute-api.${region}.${Aws.URL_SUFFIX}`,
            auth: `https://${config.cognito.domainPrefix}.auth.${region}.amazoncognito.com`,
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(CONSOLE_HSTS_SECONDS),
          includeSubdomains: true,
          override: true,
        },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const domain = config.consoleDomain;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Mental Health Analytics console (${config.stage})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      additionalBehaviors: {
        // The stage's endpoints: read at every start, never from a stale cache.
        [`/${CONSOLE_CONFIG_FILE}`]: {
          origin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          responseHeadersPolicy: this.headers,
        },
      },
      // Client-side routing: a path that is not a file (S3 answers 403 through OAC) is the app.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      ...(domain
        ? {
            domainNames: [domain.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
          }
        : {}),
    });
    this.origin = domain
      ? `https://${domain.domainName}`
      : `https://${this.distribution.distributionDomainName}`;
    new CfnOutput(Stack.of(this), 'ConsoleUrl', { value: this.origin, description: 'The web console' });
  }

  /** Uploads the build and the stage's config.json, and clears the distribution's cached entry page. */
  publish(runtime: Omit<ConsoleRuntimeConfig, 'local'>, config: StageConfig): s3deploy.BucketDeployment {
    const bundle = bundleConsole();
    // The upload handler's log, kept like the stage's other logs (its default would be kept forever).
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      logGroupName: `/mha/${config.stage}/console-deployment`,
      retention: config.logRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    return new s3deploy.BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [
        // Source maps and the build summary stay out of the public bucket.
        s3deploy.Source.asset(bundle.dir, { exclude: ['*.map', 'build.json'], assetHash: bundle.hash }),
        s3deploy.Source.jsonData(CONSOLE_CONFIG_FILE, runtime),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', `/${CONSOLE_CONFIG_FILE}`],
      // Hashed file names: the previous build's files stay for pages still open while this one goes out.
      prune: false,
      memoryLimit: 256,
      logGroup,
    });
  }
}

/**
 * The stage config as deployed with a console: the API allows exactly the console's origin, and the web
 * client calls back to it and logs out to it.
 */
export const withConsoleOrigin = (config: StageConfig, origin: string): StageConfig => ({
  ...config,
  api: { ...config.api, corsOrigins: [origin] },
  cognito: { ...config.cognito, callbackUrls: [`${origin}/auth/callback`], logoutUrls: [`${origin}/`] },
});
