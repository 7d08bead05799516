/**
 * The offline liveness stand-in's session files, read as tests read them (the documented test
 * hook, local/aws/rekognition/README.md): the challenge a session will give, and what the
 * stand-in decided.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { challengeFromPlan, type ChallengeType, type SessionChallenge } from '../../local/aws/rekognition/liveness/challenge.ts';
import type { LivenessSession } from '../../local/aws/rekognition/liveness/sessions.ts';

/** A session's file in a data folder; undefined when there is none (never created, or swept). */
export async function readSessionFile(dataDir: string, sessionId: string): Promise<LivenessSession | undefined> {
  const text = await readFile(path.join(dataDir, 'rekognition', 'liveness', `${sessionId}.json`), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as LivenessSession);
}

/** A session's file, which must exist. */
export async function sessionFile(dataDir: string, sessionId: string): Promise<LivenessSession> {
  const file = await readSessionFile(dataDir, sessionId);
  if (!file) throw new Error(`liveness session ${sessionId} has no file in ${dataDir}`);
  return file;
}

/**
 * The challenge a session will give a 640 x 480 video: of `type`, or by default the type the
 * session asked for, with the oval (and colours) drawn when it was created.
 */
export async function plannedChallenge(dataDir: string, sessionId: string, type?: ChallengeType): Promise<SessionChallenge> {
  const file = await sessionFile(dataDir, sessionId);
  const chosen = type ?? (file.Settings.ChallengePreferences?.[0]?.Type === 'FaceMovementChallenge' ? 'FaceMovementChallenge' : 'FaceMovementAndLightChallenge');
  return challengeFromPlan(file.ChallengePlan, chosen, chosen === 'FaceMovementChallenge' ? '1.0.0' : '2.0.0', 640, 480);
}

/** Whether the stand-in decided a session live: SUCCEEDED, confidence at or over the default threshold of 80. */
export async function standInConfirmed(dataDir: string, sessionId: string): Promise<boolean> {
  const session = await readSessionFile(dataDir, sessionId);
  return session?.Status === 'SUCCEEDED' && (session.Result?.Confidence ?? 0) >= 80;
}

/** What the stand-in decided for a session and why (its `Result`, with every check's score), for a failure message. */
export async function standInVerdict(dataDir: string, sessionId: string): Promise<string> {
  const session = await readSessionFile(dataDir, sessionId);
  if (!session) return 'no session file';
  return JSON.stringify({ Status: session.Status, FailureReason: session.FailureReason, Result: session.Result });
}
