// The contract between the web app and whoever serves it: the local runtime (local/web-app.ts) and
// the CDK app both write this shape to /config.json; no browser code here, so both can import it.
import type { PublicVerificationPolicy } from '../../../api/verification-policy.ts';

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
  /** The verification policy people are told about: thresholds, limits, retention. */
  verification: PublicVerificationPolicy;
  /**
   * Where the browser streams liveness checks when it is not Rekognition's own endpoint for
   * `region`: the local stand-in (FaceLivenessDetectorCore's `endpointOverride`). Absent in AWS.
   */
  livenessEndpoint?: string;
}
