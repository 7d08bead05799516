import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { challengeFromPlan, type SessionChallenge } from '../../local/aws/rekognition/liveness/challenge.ts';
import type { LivenessSession } from '../../local/aws/rekognition/liveness/sessions.ts';

/**
 * The challenge a local liveness session will give a 640 x 480 video, read from the stand-in's
 * session file in a data folder (its test hook, local/aws/rekognition/README.md): the type the
 * session asked for, with the oval (and colours) drawn when it was created.
 */
export async function plannedChallenge(dataDir: string, sessionId: string): Promise<SessionChallenge> {
  const file = JSON.parse(await readFile(path.join(dataDir, 'rekognition', 'liveness', `${sessionId}.json`), 'utf8')) as LivenessSession;
  const type = file.Settings.ChallengePreferences?.[0]?.Type === 'FaceMovementChallenge' ? 'FaceMovementChallenge' : 'FaceMovementAndLightChallenge';
  return challengeFromPlan(file.ChallengePlan, type, type === 'FaceMovementChallenge' ? '1.0.0' : '2.0.0', 640, 480);
}
