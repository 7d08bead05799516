import { Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { LivenessDefinition } from '../../api/types.ts';
import { acknowledge } from '../acknowledge.ts';

/** Props of {@link Liveness}. */
export interface LivenessProps {
  /** What the browser's credentials may do, and for how long (api/definition.ts); needed once a function runs liveness checks. */
  definition?: LivenessDefinition;
}

/**
 * Face Liveness: the role the browser's credentials come from, trusted by the functions that run
 * liveness checks (what they may do themselves is their described grant, api/grants.ts). The
 * browser gets no standing identity (no Cognito identity pool): a function assumes this role per
 * check, with a session policy, for the shortest time STS allows (docs/verification.md says why).
 * The role may start a Face Liveness stream and nothing else, and only the functions granted here
 * may assume it.
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
   * Lets `fn` run liveness checks: makes the browser role, whose trust names the roles of the
   * functions granted here alone. What `fn`'s own role may do (create sessions and read their
   * results, assume this role, and the s3:PutObject under `uploads/` Rekognition writes the images
   * with) is its described grant (api/grants.ts, `liveness`), written by the Functions construct.
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
    acknowledge(vendor, {
      'AwsSolutions-IAM5[Resource::*]': 'Rekognition DetectFaces, CompareFaces and the Face Liveness session calls have no resource-level permissions.',
    });
  }
}
