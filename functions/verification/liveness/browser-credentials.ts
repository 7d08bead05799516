/**
 * The browser's AWS credentials for one liveness check: STS AssumeRole of the one role made for
 * it, narrowed again by an inline session policy, for the shortest time STS allows. Both the role
 * and the session policy allow `rekognition:StartFaceLivenessSession` and nothing else, so a leaked
 * set can stream a face video to Rekognition for 15 minutes, and do nothing else at all. Why this
 * and not a Cognito identity pool: docs/verification.md ("The browser's credentials").
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { api } from '../../../api/definition.ts';
import { sts } from '../../shared/aws-clients.ts';
import { DENIED, errorName, retryPolicy, THROTTLING, withRetries, type RetryPolicy } from '../aws-retries.ts';
import { LivenessError } from './liveness.ts';

const { browserActions, credentialSeconds } = api.liveness!;

/** Temporary credentials as the Amplify liveness component takes them. */
export interface BrowserCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Issues credentials for one liveness check. */
export interface BrowserCredentialIssuer {
  /** `sessionName` shows in CloudTrail as the role session; it must not be a secret. */
  issue(sessionName: string): Promise<BrowserCredentials>;
}

/** The session policy: the browser may start a Face Liveness stream, and nothing else. */
export const BROWSER_SESSION_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: browserActions, Resource: '*' }],
});

/** Options of {@link StsBrowserCredentials}. */
export interface StsBrowserCredentialsOptions {
  /** The role made for the browser (`LIVENESS_ROLE_ARN`); only the verification function may assume it. */
  roleArn: string;
  /** A ready client (`maxAttempts: 1`); default: the function's shared client. */
  client?: STSClient;
  retry?: RetryPolicy;
}

/** Browser credentials from STS AssumeRole with a session policy. */
export class StsBrowserCredentials implements BrowserCredentialIssuer {
  private readonly client: () => STSClient;
  private readonly retry: Required<RetryPolicy>;

  constructor(private readonly options: StsBrowserCredentialsOptions) {
    const given = options.client;
    this.client = given ? () => given : sts;
    this.retry = retryPolicy(options.retry);
  }

  async issue(sessionName: string): Promise<BrowserCredentials> {
    const output = await withRetries(
      this.retry,
      () =>
        this.client().send(
          new AssumeRoleCommand({
            RoleArn: this.options.roleArn,
            RoleSessionName: sessionName,
            DurationSeconds: credentialSeconds,
            Policy: BROWSER_SESSION_POLICY,
          }),
        ),
      toCredentialsError,
    );
    const c = output.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new LivenessError('UNAVAILABLE', 'STS AssumeRole answered without complete credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }
}

function toCredentialsError(error: unknown, calls: number): LivenessError {
  const name = errorName(error) || 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const code = THROTTLING.has(name) ? 'THROTTLED' : DENIED.has(name) || name === 'RegionDisabledException' ? 'ACCESS_DENIED' : name === 'MalformedPolicyDocumentException' || name === 'PackedPolicyTooLargeException' ? 'INVALID_REQUEST' : 'UNAVAILABLE';
  const after = calls > 1 ? ` after ${calls} attempts` : '';
  return new LivenessError(code, `STS AssumeRole failed${after}: ${name}: ${message}`, { cause: error });
}
