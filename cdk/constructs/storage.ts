import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledge } from '../acknowledge.ts';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { physicalBucketName } from '../../api/naming.ts';
import type { ApiDefinition } from '../../api/types.ts';

/** Props of {@link Storage}. */
export interface StorageProps {
  /** The description: the image bucket's name, prefixes and expiry. */
  api: ApiDefinition;
  stage: string;
  /** The one browser origin allowed to upload (CORS), e.g. the CloudFront URL. */
  webOrigin: string;
  /** Keep the buckets when the stack is deleted. */
  retain: boolean;
}

/**
 * S3 storage: the image bucket (ID documents and selfies, uploaded straight from the browser
 * with presigned PUTs) and the bucket that receives the access logs of every bucket here.
 * Private, encrypted, TLS only; uploads expire after one day, since an ID image has no reason
 * to outlive its verification.
 */
export class Storage extends Construct {
  /** ID documents, selfies and reference faces. */
  readonly images: s3.Bucket;
  /** Server access logs of the SecureTask buckets. */
  readonly accessLogs: s3.Bucket;
  /**
   * The image bucket's HTTPS origin, for the web app's CSP. Built from the name, not from the
   * bucket, because the bucket's CORS names the web app: a reference back would be a cycle.
   */
  readonly imagesOrigin: string;
  /** The prefixes objects may be kept under (uploads, reference faces). */
  private readonly prefixes: string[];

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const removal = props.retain
      ? { removalPolicy: RemovalPolicy.RETAIN }
      : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...removal,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(90) }],
    });

    const { account, region } = Stack.of(this);
    const { uploadsPrefix, uploadsExpireDays, facesPrefix } = props.api.images;
    this.prefixes = [uploadsPrefix, facesPrefix];
    const imagesName = physicalBucketName(props.api, props.stage, { account, region });
    this.imagesOrigin = `https://${imagesName}.s3.${region}.amazonaws.com`;
    this.images = new s3.Bucket(this, 'Images', {
      ...removal,
      bucketName: imagesName,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // SSE-S3 rather than KMS: presigned PUTs from the browser then need no key grant.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'images/',
      cors: [
        {
          allowedOrigins: [props.webOrigin],
          // Browsers PUT (presigned uploads) and GET/HEAD (an admin's one-minute review links);
          // the same rule as the local S3 (local/aws/s3/s3-cors.ts).
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedHeaders: ['content-type', 'content-length'],
          exposedHeaders: ['ETag'],
          maxAge: 300,
        },
      ],
      lifecycleRules: [
        { id: 'expire-verification-uploads', prefix: uploadsPrefix, expiration: Duration.days(uploadsExpireDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }

  /**
   * Says why a function's grant on the image bucket (api/grants.ts: objects under `uploads/` and
   * `faces/` only, never the bucket's settings or other prefixes) names every key of a prefix.
   */
  acknowledgeImageGrant(role: iam.IRole): void {
    const bucket = Stack.of(this).resolve((this.images.node.defaultChild as s3.CfnBucket).logicalId) as string;
    const [uploads, faces] = this.prefixes;
    acknowledge(role, {
      [`AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${uploads}*]`]: `Keys are chosen by the function per session (${uploads}<session>/...).`,
      [`AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${faces}*]`]: `Keys are chosen by the function per user (${faces}<user>/reference).`,
    });
  }
}
