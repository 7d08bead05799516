import type { WebConfig } from './web-config.ts';

export type { WebConfig };

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
