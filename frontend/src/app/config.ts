/**
 * Where the API is. The web app is built once and deployed anywhere: the settings come from
 * `/config.json` next to it (the local runtime answers it; the CDK app writes it beside the build).
 */
export interface WebConfig {
  /** AppSync's GraphQL endpoint (https://…/graphql, or the local runtime's). */
  graphqlUrl: string;
  /** The real-time endpoint (wss://…/graphql/realtime); informative, the link derives it. */
  realtimeUrl: string;
  /** The API key: only the onboarding and face sign-in calls use it. */
  apiKey: string;
  region: string;
  /** `local` on a laptop; the CDK stage otherwise. */
  stage: string;
  /** The verification policy people are told about (api/verification-policy.ts). */
  verification: VerificationPolicyNotice;
}

/** Thresholds (similarity 0-100), limits and retention of identity verification. */
export interface VerificationPolicyNotice {
  acceptSimilarity: number;
  reviewSimilarity: number;
  attemptsPerSession: number;
  coolDownMinutes: number;
  sessionMinutes: number;
  reviewDays: number;
  recordDays: number;
}

/** Thrown when the settings cannot be read: the app shows it instead of a blank page. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const requiredText = ['graphqlUrl', 'realtimeUrl', 'apiKey', 'region', 'stage'] as const;
const policyNumbers = ['acceptSimilarity', 'reviewSimilarity', 'attemptsPerSession', 'coolDownMinutes', 'sessionMinutes', 'reviewDays', 'recordDays'] as const;

/** Reads and checks `/config.json`. */
export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<WebConfig> {
  let response: Response;
  try {
    response = await fetchImpl('/config.json', { cache: 'no-store' });
  } catch {
    throw new ConfigError('SecureTask cannot reach its server. Check that it is running (npm start) and reload.');
  }
  if (!response.ok) throw new ConfigError(`SecureTask's settings (/config.json) answered ${response.status}. Reload, or ask whoever runs it.`);
  const body = (await response.json().catch(() => undefined)) as Partial<WebConfig> | undefined;
  const missing = [
    ...requiredText.filter((key) => typeof body?.[key] !== 'string' || body[key] === ''),
    ...policyNumbers.filter((key) => typeof body?.verification?.[key] !== 'number').map((key) => `verification.${key}`),
  ];
  if (!body || missing.length) throw new ConfigError(`SecureTask's settings are incomplete (missing ${missing.join(', ')}).`);
  return body as WebConfig;
}
