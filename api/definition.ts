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
  },

  functions: {
    authorizer: {
      entry: 'functions/authorizer/handler.ts',
      tables: [{ table: 'Users', access: 'read' }],
      timeoutSeconds: 10,
    },
  },

  dataSources: {
    UsersTable: { kind: 'DYNAMODB', table: 'Users' },
    TasksTable: { kind: 'DYNAMODB', table: 'Tasks' },
  },

  pipelineFunctions: {},

  resolvers: {
    'Query.me': { kind: 'UNIT', code: 'resolvers/Query.me.ts', dataSource: 'UsersTable' },
    'Query.task': { kind: 'UNIT', code: 'resolvers/Query.task.ts', dataSource: 'TasksTable' },
    'Query.tasks': { kind: 'UNIT', code: 'resolvers/Query.tasks.ts', dataSource: 'TasksTable' },
    'Mutation.createTask': { kind: 'UNIT', code: 'resolvers/Mutation.createTask.ts', dataSource: 'TasksTable' },
    'Mutation.updateTask': { kind: 'UNIT', code: 'resolvers/Mutation.updateTask.ts', dataSource: 'TasksTable' },
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
