import type { SecureTaskConfig } from './config.ts';
import type { ApiDefinition } from './types.ts';

/** The physical name of a table in a stage: `securetask-local-Tasks`. */
export function physicalTableName(api: ApiDefinition, stage: string, table: string): string {
  return `${api.name}-${stage}-${table}`;
}

/** `Tasks` -> `TASKS_TABLE`: how a table's name reaches resolvers (`ctx.env`) and functions. */
export function tableVariable(table: string): string {
  return `${table.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}_TABLE`;
}

/** Every table's variable with its physical name, for `ctx.env` and Lambda environments. */
export function tableEnvironment(api: ApiDefinition, stage: string): Record<string, string> {
  return Object.fromEntries(
    Object.keys(api.tables).map((t) => [tableVariable(t), physicalTableName(api, stage, t)]),
  );
}

/** `TaskEvents` -> `TASK_EVENTS_TOPIC_ARN`: how a topic's ARN reaches the functions that publish to it. */
export function topicVariable(topic: string): string {
  return `${topic.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}_TOPIC_ARN`;
}

/** The physical name of a topic in a stage: `securetask-local-TaskEvents`. */
export function physicalTopicName(api: ApiDefinition, stage: string, topic: string): string {
  return `${api.name}-${stage}-${topic}`;
}

/** Where the deployment puts things that only it knows (ARNs, the API's own URL). */
export interface DeploymentValues {
  topicArn: (topic: string) => string;
  graphqlUrl: string;
  /** The image bucket's name (ID documents, selfies, reference faces). */
  imagesBucket: string;
  /** Where people open the web app (links in emails). */
  webUrl: string;
  /** The role the browser's liveness credentials come from (see `LivenessDefinition`). */
  livenessRoleArn: string;
}

/**
 * The environment every Lambda function of the description gets, in AWS and locally: the
 * table names, topic ARNs, the API's URL, the image bucket, the liveness role, and the token, mail and
 * verification settings from the config.
 */
export function functionEnvironment(api: ApiDefinition, config: SecureTaskConfig, deployment: DeploymentValues): Record<string, string> {
  return {
    ...tableEnvironment(api, config.stage),
    ...Object.fromEntries(Object.keys(api.topics).map((t) => [topicVariable(t), deployment.topicArn(t)])),
    GRAPHQL_URL: deployment.graphqlUrl,
    TOKEN_ISSUER: config.tokenIssuer,
    TOKEN_AUDIENCE: config.tokenAudience,
    TOKEN_LIFETIME_SECONDS: String(config.tokenLifetimeSeconds),
    AUTHORIZER_TTL_SECONDS: String(config.authorizerResultTtlSeconds),
    IMAGES_BUCKET: deployment.imagesBucket,
    LIVENESS_ROLE_ARN: deployment.livenessRoleArn,
    WEB_URL: deployment.webUrl,
    ADMIN_EMAILS: config.adminEmails.join(','),
    MAIL_FROM: config.mailFrom,
    // One variable, so a deployment can never run half of an old policy.
    VERIFICATION_POLICY: JSON.stringify(config.verification),
  };
}
