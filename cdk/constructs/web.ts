import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as deployment from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import type { WebConfig } from '../../frontend/src/app/web-config.ts';

/** Files of the build that are never uploaded: source maps (the app's source, with comments). */
export const PRIVATE_FILES = ['*.map'];

/** Props of {@link WebApp}. */
export interface WebAppProps {
  /** The built frontend (`frontend/dist`), or undefined when there is none to deploy. */
  assetsPath?: string;
  /** Origins the page may connect to besides its own (the API over HTTPS and WSS, the image bucket). */
  connectOrigins: string[];
  /** Origins the page may show images from besides its own (the image bucket's presigned GETs). */
  imageOrigins: string[];
  /** What the app reads from `/config.json`: where the API is (deploy-time values). */
  runtimeConfig: WebConfig;
  /** Receives the web bucket's server access logs. */
  accessLogs: s3.IBucket;
  /** Keep the bucket when the stack is deleted. */
  retain: boolean;
}

/**
 * The React app: a private S3 bucket read by CloudFront through origin access control, served
 * over HTTPS only with a security-headers policy (HSTS, CSP, no framing, no sniffing, camera
 * for this origin only, which the liveness check needs). The build is uploaded when it exists,
 * the liveness check's model and WASM files with it (frontend/liveness-files.ts: never a CDN).
 */
export class WebApp extends Construct {
  /** The site's bucket. */
  readonly bucket: s3.Bucket;
  /** The CDN in front of it. */
  readonly distribution: cloudfront.Distribution;
  /** Whether a frontend build was found and is deployed. */
  readonly deploysAssets: boolean;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Site', {
      ...(props.retain ? { removalPolicy: RemovalPolicy.RETAIN } : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true }),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'site/',
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'SecureTask security headers',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            // The liveness check's face detector compiles its WASM binaries (served from this origin).
            "script-src 'self' 'wasm-unsafe-eval'",
            `connect-src 'self' ${props.connectOrigins.join(' ')}`,
            `img-src 'self' data: blob: ${props.imageOrigins.join(' ')}`,
            "style-src 'self' 'unsafe-inline'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: 'camera=(self), microphone=(), geolocation=()', override: true }],
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'SecureTask web app',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
      // A single-page app: unknown paths are routes, answered by index.html.
      errorResponses: [403, 404].map((status) => ({ httpStatus: status, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0) })),
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    acknowledge(this.distribution, {
      'AwsSolutions-CFR1': 'A team tool with no country restriction in its requirements; access control is the verified identity.',
      'AwsSolutions-CFR2': 'The site is static files; the API has its own auth and throttling. WAF (~$6/month minimum) is an opt-in for production.',
      'AwsSolutions-CFR3': 'Static assets only; standard logging would need an ACL-enabled bucket. API access is logged by AppSync.',
      'AwsSolutions-CFR4': 'The default *.cloudfront.net certificate cannot pin TLSv1.2_2021; with a custom domain (ACM certificate) set minimumProtocolVersion.',
    });

    this.deploysAssets = props.assetsPath !== undefined;
    if (props.assetsPath !== undefined) {
      // Hashed files are cached for a year; older ones stay (prune: false) for pages still open.
      // Source maps stay behind: they would publish the app's whole source to anyone.
      const assets = new deployment.BucketDeployment(this, 'Assets', {
        sources: [deployment.Source.asset(props.assetsPath, { exclude: ['index.html', ...PRIVATE_FILES] })],
        destinationBucket: this.bucket,
        cacheControl: [deployment.CacheControl.fromString('public, max-age=31536000, immutable')],
        prune: false,
      });
      // The entry page and the settings are read fresh on every visit, after the files they name exist.
      const entry = new deployment.BucketDeployment(this, 'Entry', {
        sources: [
          deployment.Source.data('index.html', readFileSync(path.join(props.assetsPath, 'index.html'), 'utf8')),
          deployment.Source.jsonData('config.json', props.runtimeConfig),
        ],
        destinationBucket: this.bucket,
        cacheControl: [deployment.CacheControl.noCache()],
        prune: false,
        distribution: this.distribution,
        distributionPaths: ['/index.html', '/config.json'],
      });
      entry.node.addDependency(assets);
      this.acknowledgeDeploymentHandler();
    }
  }

  /**
   * The findings on CDK's own BucketDeployment handler (one per stack, managed by CDK): the copy
   * from the CDK assets bucket to the site bucket and the CloudFront invalidation, as CDK grants them.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const site = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const copying = 'CDK grants its deployment handler these actions to copy the built app from the CDK assets bucket to the site bucket and to prune it.';
    acknowledge(handler, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': "CDK's deployment handler logs with the AWS managed basic execution policy.",
      'AwsSolutions-L1': "CDK pins the runtime of its own deployment handler and updates it with aws-cdk-lib.",
      ...Object.fromEntries(['GetBucket*', 'GetObject*', 'List*', 'Abort*', 'DeleteObject*'].map((action) => [`AwsSolutions-IAM5[Action::s3:${action}]`, copying])),
      [`AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-${account}-${region}/*]`]: 'The handler reads the built app from the CDK assets bucket, where cdk deploy uploaded it.',
      [`AwsSolutions-IAM5[Resource::<${site}.Arn>/*]`]: 'The handler writes the built app into the site bucket, every object of which is the app.',
      'AwsSolutions-IAM5[Resource::*]': 'CloudFront CreateInvalidation has no resource-level permissions.',
    });
  }

  /** The site's HTTPS URL. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
