import type { SecureTaskConfig } from '../../api/config.ts';
import { grantsOf, type GrantTargets } from '../../api/grants.ts';
import { physicalTableName, physicalTopicName } from '../../api/naming.ts';
import type { ApiDefinition } from '../../api/types.ts';
import type { LocalCredentials } from '../appsync/index.ts';
import { authenticateSignedRequest, Principals, type AccessControl, type Principal, type SigningPrincipal } from '../aws/index.ts';

/** Who may do what on this machine: the local IAM user, and each function's role. */
export interface LocalPermissions {
  /** What the stand-ins ask (`authenticate`, then `authorize`), with the ARNs' region and account. */
  access: AccessControl;
  /** The secret of an access key (the local user's or a function role's), for signature checks. */
  secretOf(accessKeyId: string): { accessKeyId: string; secretAccessKey: string } | undefined;
  /**
   * The local user or a function role as the stand-ins that ask a signer's `decide` see it
   * (Rekognition, STS): its keys, its ARN, and `access.authorize`'s answer. Undefined for other keys.
   */
  signer(accessKeyId: string): SigningPrincipal | undefined;
  /** The IAM principals the AppSync endpoint knows, with the fields each may call. */
  appSyncCaller(accessKeyId: string): LocalCredentials | undefined;
  /** The credentials function `name` runs with (its role's), as Lambda puts them in its environment. */
  credentialsOf(name: string): { accessKeyId: string; secretAccessKey: string };
}

/**
 * Each function of the description gets a role of its own, fresh credentials for it, and exactly
 * the statements `grantsOf` (api/grants.ts) gives it, the ones CDK deploys as its role's policy;
 * every call it makes to the local DynamoDB, S3, SNS, SES, Rekognition, STS, Textract and the API is
 * checked against them, and refused as AWS refuses. The local IAM user (`iam-credentials.json`,
 * what a developer or a test signs with) stands for an administrator and may do anything.
 */
export function localPermissions(options: {
  api: ApiDefinition;
  config: SecureTaskConfig;
  accountId: string;
  apiId: string;
  imagesBucket: string;
  localUser: LocalCredentials;
  /** The role the liveness functions assume for the browser (where the stack says it is). */
  livenessRoleArn: string;
}): LocalPermissions {
  const { api, config, accountId } = options;
  const region = config.region;
  const graphqlApiArn = `arn:aws:appsync:${region}:${accountId}:apis/${options.apiId}`;
  const mailDomain = /@([^>\s]+)>?\s*$/.exec(config.mailFrom)?.[1]?.toLowerCase() ?? '';
  const targets: GrantTargets = {
    tableArn: (table) => `arn:aws:dynamodb:${region}:${accountId}:table/${physicalTableName(api, config.stage, table)}`,
    topicArn: (topic) => `arn:aws:sns:${region}:${accountId}:${physicalTopicName(api, config.stage, topic)}`,
    imagesBucketArn: `arn:aws:s3:::${options.imagesBucket}`,
    graphqlApiArn,
    mailIdentityArns: [mailDomain, `*@${mailDomain}`].map((identity) => `arn:aws:ses:${region}:${accountId}:identity/${identity}`),
    livenessRoleArn: options.livenessRoleArn,
  };

  const principals = new Principals();
  principals.add(options.localUser, options.localUser.userArn);
  const roles = new Map<string, Principal>();
  const callers = new Map<string, LocalCredentials>([[options.localUser.accessKeyId, options.localUser]]);
  for (const name of Object.keys(api.functions)) {
    const roleName = `${api.name}-${config.stage}-${name}`;
    const role = principals.addRole(`arn:aws:sts::${accountId}:assumed-role/${roleName}/${roleName}`, grantsOf(api, name, targets));
    roles.set(name, role);
    callers.set(role.credentials.accessKeyId, {
      ...role.credentials,
      accountId,
      userArn: role.arn,
      username: `${role.credentials.accessKeyId}:${roleName}`,
      mayCall: (typeName, fieldName) => role.policy!.allows({ action: 'appsync:GraphQL', resource: `${graphqlApiArn}/types/${typeName}/fields/${fieldName}` }),
    });
  }

  const signer = (accessKeyId: string): SigningPrincipal | undefined => {
    const principal = principals.get(accessKeyId);
    if (!principal) return undefined;
    return {
      ...principal.credentials,
      arn: principal.arn,
      // Only Allow statements here: what none allows is an implicit deny.
      decide: (action, resource = '*') => (principals.authorize(accessKeyId, { action, resource }).allowed ? 'allow' : 'implicit-deny'),
    };
  };

  return {
    access: {
      region,
      accountId,
      authorize: (accessKeyId, request) => principals.authorize(accessKeyId, request),
      authenticate: (req, body, service) => authenticateSignedRequest(req, body, signer, { region, service }),
    },
    secretOf: (accessKeyId) => principals.get(accessKeyId)?.credentials,
    signer,
    appSyncCaller: (accessKeyId) => callers.get(accessKeyId),
    credentialsOf(name) {
      const role = roles.get(name);
      if (!role) throw new Error(`the API description has no function "${name}"`);
      return role.credentials;
    },
  };
}
