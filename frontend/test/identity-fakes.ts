/**
 * Stand-ins for what jsdom lacks and the identity screens use: a camera (getUserMedia and a
 * video that plays), object URLs for previews, an XMLHttpRequest that records each upload, and
 * the canned API answers of a verification. Only the identity tests install them.
 */
import type { GraphQLFormattedError } from 'graphql';
import { vi } from 'vitest';
import type { MockLink } from '@apollo/client/testing';
import {
  CancelVerificationDocument,
  RequestUploadDocument,
  StartFaceLoginDocument,
  StartLivenessCheckDocument,
  StartVerificationDocument,
  SubmitVerificationDocument,
  VerificationDocument,
  type VerificationState,
} from '../src/generated/graphql.ts';
import type { PreparedImage } from '../src/identity/images.ts';

/** A photo as captureFrame / prepareImageFile would make it. */
export function fakeImage(size: number, contentType: 'image/jpeg' | 'image/png' = 'image/jpeg'): PreparedImage {
  return { blob: new Blob([new Uint8Array(size)], { type: contentType }), contentType, size, width: 640, height: 480 };
}

/** Camera access: granted (default), or refused with a DOMException name. */
export function installCamera(failure?: 'NotAllowedError' | 'NotFoundError') {
  const track = { stop: vi.fn(), addEventListener: vi.fn() };
  const stream = { getTracks: () => [track], getVideoTracks: () => [track] };
  const getUserMedia = vi.fn(async () => {
    if (failure) throw new DOMException('camera', failure);
    return stream;
  });
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia } });
  HTMLMediaElement.prototype.play = vi.fn(async () => undefined);
  URL.createObjectURL = vi.fn(() => 'blob:preview');
  URL.revokeObjectURL = vi.fn();
  return { getUserMedia, track };
}

export interface RecordedUpload {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** XMLHttpRequest that answers `status` (200 by default) after reporting progress; records every request. */
export function installXhr(status = 200) {
  const uploads: RecordedUpload[] = [];
  class FakeXhr {
    upload: { onprogress?: (event: { loaded: number }) => void } = {};
    onload?: () => void;
    onerror?: () => void;
    ontimeout?: () => void;
    onabort?: () => void;
    status = 0;
    private request: RecordedUpload = { url: '', method: '', headers: {}, body: undefined };
    open(method: string, url: string) {
      this.request = { url, method, headers: {}, body: undefined };
    }
    setRequestHeader(name: string, value: string) {
      this.request.headers[name] = value;
    }
    abort() {
      this.onabort?.();
    }
    send(body: Blob) {
      this.request.body = body;
      uploads.push(this.request);
      setTimeout(() => {
        this.upload.onprogress?.({ loaded: body.size / 2 });
        this.status = status;
        this.onload?.();
      }, 0);
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return uploads;
}

/** A token the session store accepts (it reads claims; the API checks signatures). */
export function fakeToken({
  email = 'ana@example.com',
  role = 'MEMBER',
  expiresAt = Date.now() + 30 * 60_000,
  sub = 'user-1',
} = {}): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'ES256', typ: 'JWT' })}.${encode({ sub, email, role, exp: Math.floor(expiresAt / 1000) })}.c2ln`;
}

// ---------- API answers ----------

const expiresAt = '2030-01-01T10:15:00.000Z';

export function verification(
  state: VerificationState,
  extra: Partial<{ reason: string | null; attemptsLeft: number; kind: string; expiresAt: string }> = {},
) {
  return {
    __typename: 'Verification',
    id: 'session-1',
    kind: 'ONBOARDING',
    state,
    reason: null,
    attemptsLeft: 3,
    expiresAt,
    createdAt: '2030-01-01T10:00:00.000Z',
    ...extra,
  };
}

function upload(purpose: 'ID_DOCUMENT') {
  return {
    __typename: 'PresignedUpload',
    purpose,
    url: `https://s3.test/uploads/session-1/${purpose}?X-Amz-Signature=abc`,
    headers: JSON.stringify({ 'Content-Type': 'image/jpeg', 'Content-Length': '1000' }),
    expiresAt,
  };
}

type Variables = Record<string, unknown>;

export const answers = {
  startVerification(
    input: Variables | ((v: Variables) => boolean),
    result: 'ok' | { errors: GraphQLFormattedError[] } = 'ok',
  ): MockLink.MockedResponse {
    return {
      request: { query: StartVerificationDocument, variables: typeof input === 'function' ? input : { input } },
      result:
        result === 'ok'
          ? { data: { startVerification: { ...verification('REQUIRES_INPUT'), uploads: [upload('ID_DOCUMENT')] } } }
          : result,
    };
  },
  startFaceLogin(email: string, result: 'ok' | { errors: GraphQLFormattedError[] } = 'ok'): MockLink.MockedResponse {
    return {
      request: { query: StartFaceLoginDocument, variables: (v: Variables) => (v.input as { email: string }).email === email },
      result:
        result === 'ok'
          ? { data: { startFaceLogin: { ...verification('REQUIRES_INPUT', { kind: 'FACE_LOGIN' }), uploads: [] } } }
          : result,
    };
  },
  submit(answer: ReturnType<typeof verification>, token: string | null = null): MockLink.MockedResponse {
    return {
      request: { query: SubmitVerificationDocument, variables: { id: 'session-1' } },
      result: { data: { submitVerification: { ...answer, token, tokenExpiresAt: token ? expiresAt : null } } },
    };
  },
  submitError(error: GraphQLFormattedError): MockLink.MockedResponse {
    return { request: { query: SubmitVerificationDocument, variables: { id: 'session-1' } }, result: { errors: [error] } };
  },
  /** The n-th liveness check of session-1 (its Face Liveness session id ends in n). */
  startLivenessCheck(n = 1, result: 'ok' | { errors: GraphQLFormattedError[] } = 'ok'): MockLink.MockedResponse {
    return {
      request: { query: StartLivenessCheckDocument, variables: { id: 'session-1' } },
      result:
        result === 'ok'
          ? {
              data: {
                startLivenessCheck: {
                  __typename: 'LivenessCheck',
                  sessionId: `liveness-${n}`,
                  region: 'eu-west-1',
                  expiresAt,
                  credentials: { __typename: 'LivenessCredentials', accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: expiresAt },
                },
              },
            }
          : result,
    };
  },
  requestUpload(purpose: 'ID_DOCUMENT'): MockLink.MockedResponse {
    return {
      request: { query: RequestUploadDocument, variables: (v: Variables) => v.id === 'session-1' && v.purpose === purpose },
      result: { data: { requestUpload: upload(purpose) } },
    };
  },
  poll(answer: ReturnType<typeof verification>): MockLink.MockedResponse {
    return { request: { query: VerificationDocument, variables: { id: 'session-1' } }, result: { data: { verification: answer } } };
  },
  /** `seen` is called when the cancel is sent. */
  cancel(seen: () => void = () => undefined): MockLink.MockedResponse {
    return {
      request: { query: CancelVerificationDocument, variables: { id: 'session-1' } },
      result: () => {
        seen();
        return {
          data: { cancelVerification: verification('CANCELED', { reason: 'This session was canceled; its images were deleted.' }) },
        };
      },
    };
  },
};

/** A GraphQL error as AppSync sends it. */
export function appSyncError(errorType: string, message: string, data?: object): GraphQLFormattedError {
  // AppSync puts errorType and data beside the message, where GraphQL's type has no room for them.
  const error = { message, errorType, data: data ?? null, path: ['x'] };
  return error;
}

/** What a screen reader reads after a control's name: its hint and error (aria-describedby). */
export function description(element: HTMLElement): string {
  const ids = element.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}
