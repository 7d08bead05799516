import type { ApiDefinition } from './types.ts';

/** The physical name of a table in a stage: `securetask-local-Tasks`. */
export function physicalTableName(api: ApiDefinition, stage: string, table: string): string {
  return `${api.name}-${stage}-${table}`;
}

/**
 * The physical name of the image bucket in a stage: `securetask-local-images`. Bucket names are
 * global in AWS, so a deployment adds its account and region; locally the stage is unique enough.
 */
export function physicalBucketName(api: ApiDefinition, stage: string, unique?: { account: string; region: string }): string {
  const name = `${api.name}-${stage}-${api.images.name}`;
  return unique ? `${name}-${unique.account}-${unique.region}` : name;
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
