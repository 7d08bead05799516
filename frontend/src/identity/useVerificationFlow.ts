/**
 * One verification session from the browser's side, shared by onboarding, face sign-in and the
 * session renewal: open the session, PUT the ID photo to its presigned URL (with progress), start
 * a liveness check (`step: 'liveness'` while the screen runs it), ask for the decision once the
 * check is done, and keep the latest state and problem for the screen to show. Retakes ask for a
 * fresh URL; every retry runs a new liveness check; a session left unfinished is canceled so its
 * images go at once; PROCESSING and NEEDS_REVIEW are polled while the screen is open.
 */
import type { ApolloClient } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import * as api from './api.ts';
import type { PreparedImage } from './images.ts';
import { isStale, problemOf, type Problem } from './problems.ts';
import { putImage } from './upload.ts';

/** The photos of a session, by what they are for. */
export type Photos = Partial<Record<api.UploadPurpose, PreparedImage>>;

/** What the flow is doing now; `idle` is waiting for the person, `liveness` is the check on screen (`check` once it started). */
export type FlowStep = 'idle' | 'starting' | 'uploading' | 'liveness' | 'checking' | 'canceling';

export interface FlowOptions {
  /** A VERIFIED answer: its token starts (or renews) the session. */
  onVerified(token: string, verification: api.Verification): void;
  /** How often to re-read a session being processed / waiting for review, in ms. */
  pollMs?: { processing: number; review: number };
}

export interface VerificationFlow {
  step: FlowStep;
  /** Upload progress, 0-1, while `step` is `uploading`. */
  progress: number;
  /** The session, once opened. */
  verification: api.Verification | null;
  /** The last failure, with what to do about it. */
  problem: Problem | null;
  /** The session is VERIFIED and its token went to `onVerified` (the screen is about to move on). */
  signedIn: boolean;
  /** The liveness check to run now (step `liveness`); null while it is being started. */
  check: api.LivenessCheck | null;
  /** Opens a session with `start`, sends `photos`, then starts a liveness check. */
  begin(start: (client: ApolloClient) => Promise<api.StartedVerification>, photos: Photos): Promise<void>;
  /** Sends new photos for the open session (fresh URLs), then starts a new liveness check. */
  retake(photos: Photos): Promise<void>;
  /** Starts a new liveness check for the open session (a retry after a refusal or a failed check). */
  startLiveness(): Promise<void>;
  /** The check finished in the browser (the component's onAnalysisComplete): ask for the decision. */
  livenessDone(): Promise<void>;
  /** The check failed in the browser: show why; a new check is the way on. */
  livenessFailed(problem: Problem): void;
  /** Does what the current problem's "Try again" means. */
  tryAgain(): Promise<void>;
  cancel(): Promise<void>;
  /** Shows a session this tab opened before (a reload while waiting for review); null if it is gone. */
  resume(id: string): Promise<api.Verification | null>;
  /** Forgets the session: back to an empty form. */
  reset(): void;
}

const DEFAULT_POLL = { processing: 2000, review: 5000 };

/** One verification session and what the screen needs to show it; see the file comment. */
export function useVerificationFlow({ onVerified, pollMs = DEFAULT_POLL }: FlowOptions): VerificationFlow {
  const client = useApolloClient();
  const [step, setStep] = useState<FlowStep>('idle');
  const [progress, setProgress] = useState(0);
  const [verification, setVerification] = useState<api.Verification | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [signedIn, setSignedIn] = useState(false);
  const [check, setCheck] = useState<api.LivenessCheck | null>(null);
  // The latest values for async code and the unmount cleanup, which outlive a render.
  const live = useRef({
    mounted: true,
    verification,
    photos: {} as Photos,
    pending: [] as api.UploadPurpose[],
    abort: undefined as AbortController | undefined,
    /** Bumped by each action (begin, retake, cancel, reset): a poll answer older than it is dropped. */
    generation: 0,
  });
  live.current.verification = verification;
  const verified = useRef(onVerified);
  verified.current = onVerified;

  const show = useCallback((next: api.Verification | null, nextProblem: Problem | null = null) => {
    if (!live.current.mounted) return;
    live.current.verification = next;
    setCheck(null);
    setVerification(next);
    setProblem(nextProblem);
    setStep('idle');
  }, []);

  const refresh = useCallback(
    async (id: string, problemToKeep: Problem | null = null): Promise<api.Verification | null> => {
      const generation = live.current.generation;
      // A poll sent before the person canceled or started again must not bring the old state back.
      const outdated = () => live.current.generation !== generation;
      try {
        const current = await api.fetchVerification(client, id);
        if (outdated()) return live.current.verification;
        show(current, problemToKeep);
        return current;
      } catch (error) {
        if (!outdated()) show(live.current.verification, problemOf(error));
        return live.current.verification;
      }
    },
    [client, show],
  );

  const submit = useCallback(
    async (id: string) => {
      setStep('checking');
      try {
        const { verification: answer, token } = await api.submitVerification(client, id);
        if (answer.state === 'VERIFIED' && token) {
          setSignedIn(true);
          verified.current(token, answer);
        }
        show(answer);
      } catch (error) {
        const failed = problemOf(error);
        if (isStale(failed) || (failed.type === 'RateLimited' && !failed.verification)) {
          await refresh(id, isStale(failed) ? null : failed);
          return;
        }
        show(failed.verification ?? live.current.verification, failed);
      }
    },
    [client, refresh, show],
  );

  /** PUTs each photo to its URL (asking for a fresh one where there is none), all progress as one. */
  const upload = useCallback(
    async (id: string, photos: Photos, urls: api.PresignedUpload[] = []) => {
      const purposes = Object.keys(photos) as api.UploadPurpose[];
      live.current.photos = { ...live.current.photos, ...photos };
      live.current.pending = purposes;
      const total = purposes.reduce((sum, p) => sum + photos[p]!.size, 0);
      const sent: Record<string, number> = {};
      const abort = new AbortController();
      live.current.abort = abort;
      setProgress(0);
      setStep('uploading');
      await Promise.all(
        purposes.map(async (purpose) => {
          const photo = photos[purpose]!;
          const spec = { contentType: photo.contentType, size: photo.size };
          const url = urls.find((u) => u.purpose === purpose) ?? (await api.requestUpload(client, id, purpose, spec));
          await putImage(
            url,
            photo.blob,
            (bytes) => {
              sent[purpose] = bytes;
              if (live.current.mounted) setProgress(Object.values(sent).reduce((a, b) => a + b, 0) / total);
            },
            abort.signal,
          );
        }),
      );
      live.current.pending = [];
    },
    [client],
  );

  /** A new liveness check for the session: the screen runs it while `step` is `liveness`. */
  const startLiveness = useCallback(
    async (id: string) => {
      const generation = live.current.generation;
      setProblem(null);
      setCheck(null);
      setStep('liveness');
      try {
        const started = await api.startLivenessCheck(client, id);
        if (live.current.mounted && live.current.generation === generation) setCheck(started);
      } catch (error) {
        if (live.current.generation !== generation) return;
        const failed = problemOf(error);
        if (isStale(failed)) return void (await refresh(id));
        show(failed.verification ?? live.current.verification, failed);
      }
    },
    [client, refresh, show],
  );

  const sendThenCheck = useCallback(
    async (id: string, photos: Photos, urls?: api.PresignedUpload[]) => {
      if (Object.keys(photos).length) {
        try {
          await upload(id, photos, urls);
        } catch (error) {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          const failed = problemOf(error);
          if (isStale(failed)) return void (await refresh(id));
          return show(live.current.verification, failed.type === 'UploadError' ? failed : { ...failed, retry: failed.retry ?? 'upload' });
        }
      }
      await startLiveness(id);
    },
    [upload, startLiveness, refresh, show],
  );

  const begin: VerificationFlow['begin'] = async (start, photos) => {
    live.current.generation++;
    setProblem(null);
    setStep('starting');
    let started: api.StartedVerification;
    try {
      started = await start(client);
    } catch (error) {
      // No session yet: the form stays, with the problem on it.
      return show(null, problemOf(error));
    }
    show(started.verification);
    await sendThenCheck(started.verification.id, photos, started.uploads);
  };

  const retake: VerificationFlow['retake'] = async (photos) => {
    const id = live.current.verification?.id;
    if (!id) return;
    live.current.generation++;
    setProblem(null);
    await sendThenCheck(id, photos);
  };

  const current = () => live.current.verification?.id;

  const tryAgain = async () => {
    const id = live.current.verification?.id;
    if (!id || !problem) return;
    if (problem.retry === 'upload') {
      const pending = live.current.pending.length ? live.current.pending : problem.retake;
      const photos = Object.fromEntries(pending.filter((p) => live.current.photos[p]).map((p) => [p, live.current.photos[p]]));
      return retake(photos as Photos);
    }
    if (problem.retry === 'submit') {
      setProblem(null);
      return submit(id);
    }
    if (problem.retry === 'liveness') return startLiveness(id);
  };

  const cancel = async () => {
    const id = live.current.verification?.id;
    if (!id) return;
    live.current.generation++;
    live.current.abort?.abort();
    setStep('canceling');
    try {
      show(await api.cancelVerification(client, id));
    } catch (error) {
      const failed = problemOf(error);
      if (isStale(failed)) return void (await refresh(id));
      show(live.current.verification, failed);
    }
  };

  const resume = (id: string) => refresh(id);

  const reset = () => {
    live.current.generation++;
    live.current.abort?.abort();
    live.current.photos = {};
    live.current.pending = [];
    show(null);
    setProgress(0);
    setSignedIn(false);
  };

  // Re-read a session that is being processed or waits for a reviewer, while the screen shows it.
  const state = verification?.state;
  useEffect(() => {
    if (step !== 'idle' || !verification || (state !== 'PROCESSING' && state !== 'NEEDS_REVIEW')) return;
    const timer = setTimeout(() => void refresh(verification.id, problem), state === 'PROCESSING' ? pollMs.processing : pollMs.review);
    return () => clearTimeout(timer);
  }, [step, verification, state, problem, refresh, pollMs.processing, pollMs.review]);

  // Leaving a session unfinished: cancel it, so its photos are deleted now rather than in 15 minutes.
  useEffect(() => {
    const current = live.current;
    current.mounted = true;
    return () => {
      current.mounted = false;
      current.abort?.abort();
      if (current.verification?.state === 'REQUIRES_INPUT') api.cancelVerification(client, current.verification.id).catch(() => undefined);
    };
  }, [client]);

  return {
    step,
    progress,
    verification,
    problem,
    signedIn,
    check,
    begin,
    retake,
    startLiveness: async () => {
      const id = current();
      if (id) await startLiveness(id);
    },
    livenessDone: async () => {
      const id = current();
      setCheck(null);
      if (id) await submit(id);
    },
    livenessFailed: (failed) => show(live.current.verification, failed),
    tryAgain,
    cancel,
    resume,
    reset,
  };
}
