/**
 * ClientSessionInformationEvent, as Amplify's FaceLivenessDetector sends it: a start event
 * (ChallengeId, VideoStartTimestamp, InitialFace), for the light challenge one ColorDisplayed
 * event per colour, and an end event (InitialFace, TargetFace, VideoEndTimestamp). Boxes are
 * ratios of the (unmirrored) video, timestamps epoch milliseconds. What the client says is
 * recorded as it says it; the decision holds it against the frames.
 */
import type { SessionChallenge } from '../challenge.ts';
import type { ClientReport } from '../decision/challenge-check.ts';
import { fromBoundingBox } from '../geometry.ts';

/** Records one event's claims in `report`; returns what is wrong with the event, if anything. */
export function readClientEvent(body: unknown, challenge: SessionChallenge, report: ClientReport): string | undefined {
  const members = (body as { Challenge?: Record<string, unknown> } | undefined)?.Challenge;
  if (!isRecord(members)) return 'ClientSessionInformationEvent.Challenge is required.';
  const names = Object.keys(members);
  if (names.length !== 1) return 'ClientSessionInformationEvent.Challenge must hold exactly one challenge.';
  if (names[0] !== challenge.Type) return `The session's challenge is ${challenge.Type}, not ${names[0]}.`;
  const event = members[names[0]];
  if (!isRecord(event)) return `${names[0]} must be an object.`;

  const id = event.ChallengeId;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return 'ChallengeId is required.';
  if (report.challengeId !== undefined && report.challengeId !== id) return 'ChallengeId changed during the stream.';
  report.challengeId = id;

  const { VideoWidth: width, VideoHeight: height } = challenge;
  const time = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined);
  if (event.VideoStartTimestamp !== undefined) {
    if (time(event.VideoStartTimestamp) === undefined) return 'VideoStartTimestamp must be epoch milliseconds.';
    report.videoStart = event.VideoStartTimestamp as number;
  }
  if (event.VideoEndTimestamp !== undefined) {
    if (time(event.VideoEndTimestamp) === undefined) return 'VideoEndTimestamp must be epoch milliseconds.';
    report.videoEnd = event.VideoEndTimestamp as number;
  }
  if (event.InitialFace !== undefined) {
    const face = event.InitialFace as { BoundingBox?: unknown; InitialFaceDetectedTimestamp?: unknown };
    const box = fromBoundingBox(face?.BoundingBox, width, height);
    const at = time(face?.InitialFaceDetectedTimestamp);
    if (!box || at === undefined) return 'InitialFace needs a BoundingBox (ratios) and InitialFaceDetectedTimestamp.';
    // The end event repeats the start's InitialFace; a different one is a lie about the start.
    if (report.initialFace && Math.abs(report.initialFace.at - at) > 1) return 'InitialFace changed during the stream.';
    report.initialFace = { box, at };
  }
  if (event.TargetFace !== undefined) {
    const face = event.TargetFace as { BoundingBox?: unknown; FaceDetectedInTargetPositionStartTimestamp?: unknown; FaceDetectedInTargetPositionEndTimestamp?: unknown };
    const box = fromBoundingBox(face?.BoundingBox, width, height);
    const start = time(face?.FaceDetectedInTargetPositionStartTimestamp);
    const end = time(face?.FaceDetectedInTargetPositionEndTimestamp);
    if (!box || start === undefined || end === undefined) return 'TargetFace needs a BoundingBox (ratios) and both FaceDetectedInTargetPosition timestamps.';
    report.targetFace = { box, start, end };
  }
  if (event.ColorDisplayed !== undefined) {
    if (challenge.Type !== 'FaceMovementAndLightChallenge') return 'ColorDisplayed belongs to FaceMovementAndLightChallenge.';
    const shown = event.ColorDisplayed as { CurrentColor?: { RGB?: unknown }; PreviousColor?: { RGB?: unknown }; SequenceNumber?: unknown; CurrentColorStartTimestamp?: unknown };
    const rgb = (value: unknown) => (Array.isArray(value) && value.length === 3 && value.every((v) => Number.isInteger(v) && v >= 0 && v <= 255) ? (value as number[]) : undefined);
    const current = rgb(shown?.CurrentColor?.RGB);
    const sequenceNumber = shown?.SequenceNumber;
    const start = time(shown?.CurrentColorStartTimestamp);
    if (!current || !Number.isInteger(sequenceNumber) || start === undefined) return 'ColorDisplayed needs CurrentColor.RGB, SequenceNumber and CurrentColorStartTimestamp.';
    if (report.colors.length >= 64) return 'Too many ColorDisplayed events.';
    report.colors.push({ sequenceNumber: sequenceNumber as number, current, previous: rgb(shown?.PreviousColor?.RGB), start });
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
