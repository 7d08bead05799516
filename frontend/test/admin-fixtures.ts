/**
 * What the admin tests share: a signed-in admin (a token the app can read; the API is mocked,
 * so nobody checks its signature), users, and review sessions as the API answers them.
 */
import { createSessionStore } from '../src/session/session.ts';
import { memoryStorage } from './render.tsx';

const base64url = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

export const ADMIN_ID = 'u-admin';
export const ADMIN_EMAIL = 'admin@example.com';

/** A session store signed in as the admin (ADMIN_ID, ADMIN_EMAIL). */
export function adminSession() {
  const store = createSessionStore(memoryStorage());
  const claims = { sub: ADMIN_ID, email: ADMIN_EMAIL, role: 'ADMIN', exp: Math.floor(Date.now() / 1000) + 1800 };
  store.signIn(`${base64url({ alg: 'ES256', typ: 'JWT' })}.${base64url(claims)}.signature`);
  return store;
}

export function user(id: string, email: string, name: string | null, overrides: Partial<{ role: 'ADMIN' | 'MEMBER'; status: 'ACTIVE' | 'DISABLED' | 'INVITED' }> = {}) {
  return { __typename: 'User' as const, id, email, name, role: 'MEMBER' as const, status: 'ACTIVE' as const, createdAt: '2025-03-01T10:00:00.000Z', ...overrides };
}

export const USERS = [
  user(ADMIN_ID, ADMIN_EMAIL, 'Ada Admin', { role: 'ADMIN' }),
  user('u-ana', 'ana@example.com', 'Ana Lima'),
  user('u-ben', 'ben@example.com', null, { status: 'DISABLED' }),
];

export function session(id: string, email: string, name: string | null, urls = 1) {
  return {
    __typename: 'VerificationForReview' as const,
    id,
    kind: 'ONBOARDING' as const,
    state: 'NEEDS_REVIEW' as const,
    email,
    name,
    similarity: 84.66,
    livenessConfidence: 97.25,
    createdAt: '2025-03-10T08:00:00.000Z',
    expiresAt: '2025-03-17T08:00:00.000Z',
    idDocumentUrl: `https://images.test/${id}/id?v=${urls}`,
    selfieUrl: `https://images.test/${id}/selfie?v=${urls}`,
    auditImageUrls: [1, 2].map((n) => `https://images.test/${id}/audit-${n}?v=${urls}`),
    reviewNote: null,
    reviewedBy: null,
    document: reading(name),
  };
}

/** What the reader made of the ID: the name doubtful, so the name check could not be made. */
export function reading(name: string | null) {
  const field = (value: string, confidence: number) => ({ __typename: 'DocumentField' as const, value, confidence });
  const check = (check: string, outcome: string) => ({ __typename: 'DocumentCheck' as const, check: check as any, outcome: outcome as any });
  return {
    __typename: 'DocumentReading' as const,
    surname: field((name ?? 'Unknown').split(' ').at(-1)!.toUpperCase(), 62.4),
    givenNames: null,
    dateOfBirth: field('1990-04-17', 96),
    dateOfExpiry: field('2031-12-31', 95),
    documentNumber: field('K47120953', 90),
    documentType: field('OTHER', 90),
    issuingCountry: null,
    mrz: [],
    checks: [check('IS_DOCUMENT', 'PASS'), check('NOT_EXPIRED', 'PASS'), check('NAME_MATCHES', 'UNREADABLE'), check('MRZ_CHECK_DIGITS', 'NOT_APPLICABLE'), check('MRZ_MATCHES_PRINTED', 'NOT_APPLICABLE'), check('MINIMUM_AGE', 'NOT_APPLICABLE')],
  };
}
