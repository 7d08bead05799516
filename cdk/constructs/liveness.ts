import { Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { LivenessDefinition } from '../../api/types.ts';
import { acknowledge } from '../acknowledge.ts';
import type { Storage } from './storage.ts';

/** Props of {@link Liveness}. */
export interface LivenessProps {
  /** What the browser's credentials may do, and for how long (api/definition.ts); needed once a function runs liveness checks. */
  definition?: LivenessDefinition;
  /** The image bucket Rekognition stores each check's reference and audit images in. */
  storage: Storage;
  /** The bucket's prefix of verification uploads (the description's), under which those images go. */
  uploadsPrefix: string;
}

/**
 * Face Liveness: the role the browser's credentials come from, and the grants of the functions
 * that run liveness checks. The browser gets no standing identity (no Cognito identity pool): a
 * function assumes this role per check, with a session policy, for the shortest time STS allows
 * (docs/verification.md says why). The role may start a Face Liveness stream and nothing else,
 * and only the functions granted here may assume it.
 */
export class Liveness extends Construct {
  /** The browser role's ARN (`LIVENESS_ROLE_ARN`), resolved once a function has been granted. */
  readonly roleArn: string;
  private role?: iam.Role;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: LivenessProps,
  ) {
    super(scope, id);
    this.roleArn = Lazy.string({
      produce: () => {
        if (!this.role) throw new Error('no function has the liveness service, yet LIVENESS_ROLE_ARN was asked for');
        return this.role.roleArn;
      },
    });
  }

  /**
   * Lets `fn` run liveness checks: create sessions and read their results (Rekognition), have
   * Rekognition write the images under `uploads/` with its permission (OutputConfig needs the
   * caller's s3:PutObject), and assume the browser role, whose trust names `fn`'s role alone.
   */
  grantLivenessChecks(fn: lambda.Function): void {
    const vendor = fn.role!;
    const { definition } = this.props;
    if (!definition) throw new Error(`${fn.node.id} has the liveness service, but the API description has no liveness settings`);
    if (!this.role) {
      this.role = new iam.Role(this, 'BrowserRole', {
        assumedBy: vendor,
        description: 'SecureTask: the browser streams one Face Liveness check (assumed per check by the verification function)',
        inlinePolicies: {
          liveness: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: definition.browserActions, resources: ['*'] })] }),
        },
      });
      acknowledge(this.role, {
        'AwsSolutions-IAM5[Resource::*]': 'StartFaceLivenessSession has no resource-level permissions; each set of credentials is narrowed to one check and 15 minutes by its session policy.',
      });
    } else {
      this.role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [vendor] }));
    }
    this.role.grantAssumeRole(vendor);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['rekognition:CreateFaceLivenessSession', 'rekognition:GetFaceLivenessSessionResults'], resources: ['*'] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.props.storage.images.arnForObjects(`${this.props.uploadsPrefix}*`)] }));
    acknowledge(vendor, {
      'AwsSolutions-IAM5[Resource::*]': 'Rekognition DetectFaces, CompareFaces and the Face Liveness session calls have no resource-level permissions.',
    });
  }
}
