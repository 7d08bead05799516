/**
 * Amplify UI's FaceLivenessDetectorCore, configured for SecureTask: the session and credentials
 * that startLivenessCheck answered, the face model and WASM files from this site
 * (frontend/liveness-files.ts), and on a local install the local Rekognition's endpoint. This
 * module is the only one that imports the component: it loads (with TensorFlow.js, the streaming
 * client and the component's styles) only when a liveness check is on screen (LivenessStep).
 */
import { FaceLivenessDetectorCore, type AwsCredentialProvider } from '@aws-amplify/ui-react-liveness';
import '@aws-amplify/ui-react-liveness/styles.css';
import { useMemo } from 'react';
import { binaryPath, faceModelUrl } from 'virtual:liveness-files';
import { useConfig } from '../../app/config-context.ts';
import type { LivenessCheck } from '../api.ts';
import type { Problem } from '../problems.ts';
import { livenessProblem } from './liveness-problems.ts';

export interface LivenessDetectorProps {
  check: LivenessCheck;
  /** The video was streamed and analysed: the session can be submitted. */
  onDone(): void;
  /** The check stopped (an error state of the component, or the person closed it). */
  onFailed(problem: Problem): void;
}

const CANCELED: Problem = {
  type: 'LivenessError',
  message: 'You stopped the liveness check. Start a new one when you are ready.',
  retake: [],
  retry: 'liveness',
};

export default function LivenessDetector({ check, onDone, onFailed }: LivenessDetectorProps) {
  const config = useConfig();
  const settings = useMemo(() => {
    const credentials = { ...check.credentials, expiration: new Date(check.credentials.expiration) };
    const credentialProvider: AwsCredentialProvider = async () => credentials;
    return {
      credentialProvider,
      // tfjs fetches relative to the page; the component wants full URLs.
      binaryPath: new URL(binaryPath, window.location.origin).href,
      faceModelUrl: new URL(faceModelUrl, window.location.origin).href,
      ...(config.livenessEndpoint ? { endpointOverride: config.livenessEndpoint } : {}),
    };
  }, [check, config.livenessEndpoint]);

  return (
    <FaceLivenessDetectorCore
      sessionId={check.sessionId}
      region={check.region}
      config={settings}
      onAnalysisComplete={async () => onDone()}
      onError={(error) => onFailed(livenessProblem(error, { local: config.stage === 'local' }))}
      onUserCancel={() => onFailed(CANCELED)}
    />
  );
}
