import type { ApiDefinition } from './types.ts';

/**
 * SecureTask's API, described once. `local/` serves it; `cdk/` deploys it.
 *
 * Resolver code lives in `resolvers/<Type>.<field>.ts`; pipeline functions in
 * `resolvers/functions/`. Lambda handlers live in `functions/`.
 */
export const api: ApiDefinition = {
  name: 'securetask',
  schema: 'schema.graphql',

  tables: {
    Users: {
      partitionKey: { name: 'id', type: 'S' },
      globalIndexes: [{ name: 'byEmail', partitionKey: { name: 'email', type: 'S' } }],
    },
    Tasks: {
      partitionKey: { name: 'id', type: 'S' },
      // Every task sits on one board; the board index lists it newest first without a scan.
      globalIndexes: [
        {
          name: 'byBoard',
          partitionKey: { name: 'board', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
      ],
      stream: 'NEW_AND_OLD_IMAGES',
    },
    // Every task change as an event, in one global order: what clients catch up from.
    TaskEvents: {
      partitionKey: { name: 'board', type: 'S' },
      sortKey: { name: 'sequence', type: 'N' },
      timeToLiveAttribute: 'expiresAt',
    },
    // The event sequence counter, and one marker per stream record so a retried batch never
    // numbers (or publishes) the same change twice.
    EventLedger: {
      partitionKey: { name: 'id', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    },
    Notifications: {
      partitionKey: { name: 'userId', type: 'S' },
      sortKey: { name: 'id', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    },
  },

  topics: {
    TaskEvents: { description: 'Every change of a task, in order, for live updates and notifications' },
  },

  functions: {
    authorizer: {
      entry: 'functions/authorizer/handler.ts',
      tables: [{ table: 'Users', access: 'read' }],
      timeoutSeconds: 10,
    },
    taskStream: {
      entry: 'functions/task-stream/handler.ts',
      tables: [
        { table: 'TaskEvents', access: 'readWrite' },
        { table: 'EventLedger', access: 'readWrite' },
      ],
      publishes: ['TaskEvents'],
      triggers: [{ kind: 'TABLE_STREAM', table: 'Tasks', batchSize: 100, retryAttempts: 10, bisectBatchOnError: true }],
      timeoutSeconds: 30,
    },
    taskEventPublisher: {
      entry: 'functions/task-event-publisher/handler.ts',
      callsApi: ['Mutation.publishTaskEvent'],
      triggers: [{ kind: 'TOPIC', topic: 'TaskEvents' }],
      timeoutSeconds: 30,
    },
    notifier: {
      entry: 'functions/notifier/handler.ts',
      tables: [
        { table: 'Notifications', access: 'readWrite' },
        { table: 'Users', access: 'read' },
      ],
      callsApi: ['Mutation.publishNotification'],
      triggers: [{ kind: 'TOPIC', topic: 'TaskEvents' }],
      timeoutSeconds: 30,
    },
  },

  dataSources: {
    UsersTable: { kind: 'DYNAMODB', table: 'Users' },
    TasksTable: { kind: 'DYNAMODB', table: 'Tasks' },
    TaskEventsTable: { kind: 'DYNAMODB', table: 'TaskEvents' },
    NotificationsTable: { kind: 'DYNAMODB', table: 'Notifications' },
    None: { kind: 'NONE' },
  },

  pipelineFunctions: {},

  resolvers: {
    'Query.me': { kind: 'UNIT', code: 'resolvers/Query.me.ts', dataSource: 'UsersTable' },
    'Query.task': { kind: 'UNIT', code: 'resolvers/Query.task.ts', dataSource: 'TasksTable' },
    'Query.tasks': { kind: 'UNIT', code: 'resolvers/Query.tasks.ts', dataSource: 'TasksTable' },
    'Mutation.createTask': { kind: 'UNIT', code: 'resolvers/Mutation.createTask.ts', dataSource: 'TasksTable' },
    'Mutation.updateTask': { kind: 'UNIT', code: 'resolvers/Mutation.updateTask.ts', dataSource: 'TasksTable' },
    'Mutation.setUserStatus': { kind: 'UNIT', code: 'resolvers/Mutation.setUserStatus.ts', dataSource: 'UsersTable' },
    'Query.taskEvents': { kind: 'UNIT', code: 'resolvers/Query.taskEvents.ts', dataSource: 'TaskEventsTable' },
    'Query.notifications': { kind: 'UNIT', code: 'resolvers/Query.notifications.ts', dataSource: 'NotificationsTable' },
    'Mutation.publishTaskEvent': { kind: 'UNIT', code: 'resolvers/Mutation.publishTaskEvent.ts', dataSource: 'None' },
    'Mutation.publishNotification': { kind: 'UNIT', code: 'resolvers/Mutation.publishNotification.ts', dataSource: 'None' },
    'Subscription.onTaskEvent': { kind: 'UNIT', code: 'resolvers/Subscription.onTaskEvent.ts', dataSource: 'None' },
    'Subscription.onNotification': { kind: 'UNIT', code: 'resolvers/Subscription.onNotification.ts', dataSource: 'None' },
  },

  authModes: [
    {
      type: 'AWS_LAMBDA',
      function: 'authorizer',
      // A compact JWS, optionally behind "Bearer ". Anything else never reaches the Lambda.
      identityValidationExpression: '^(Bearer )?[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
    },
    { type: 'API_KEY', expiresInDays: 365 },
    { type: 'AWS_IAM' },
  ],

  resolverEnvironment: {},
};
