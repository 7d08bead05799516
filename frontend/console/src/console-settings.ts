// The contract between the API console's page and the local runtime that serves it
// (local/console.ts): no browser code here, so both can import it.

/** What the console reads from `/local/console.json`: where the local API is and how to call it. */
export interface ConsoleSettings {
  graphqlUrl: string;
  realtimeUrl: string;
  region: string;
  /** The local API key (the API_KEY auth mode). */
  apiKey: string;
  /** The local IAM user's keys, which the local runtime accepts for SigV4 (the AWS_IAM mode). */
  iamCredentials: { accessKeyId: string; secretAccessKey: string };
}

/** Where the console page asks the local runtime for things. */
export const CONSOLE_PATHS = {
  page: '/local',
  settings: '/local/console.json',
  /** The schema as an introspection result (AppSync's GetIntrospectionSchema, format JSON). */
  schema: '/local/schema.json',
  /** POST `{ email, role }`: a dev session token, as `securetask token` prints one. */
  devToken: '/local/token',
} as const;
