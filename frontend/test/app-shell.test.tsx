import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/app/config.ts';
import { matchPath } from '../src/app/router.tsx';
import Welcome from '../src/app/Welcome.tsx';
import { apiError } from '../src/data/errors.ts';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { renderWithApp } from './render.tsx';

describe('the welcome screen', () => {
  it('offers the two ways in and, locally, the outbox', () => {
    renderWithApp(<Welcome />);
    expect(screen.getByRole('link', { name: 'Verify your identity' }).getAttribute('href')).toBe('/verify');
    expect(screen.getByRole('link', { name: 'Sign in with your face' }).getAttribute('href')).toBe('/sign-in');
    expect(screen.getByRole('link', { name: 'outbox' }).getAttribute('href')).toBe('/outbox');
  });
});

describe('routes', () => {
  it('match paths with parameters and nothing else', () => {
    expect(matchPath('/board/:taskId', '/board/t%201')).toEqual({ taskId: 't 1' });
    expect(matchPath('/board', '/board/')).toEqual({});
    expect(matchPath('/board/:taskId', '/board')).toBeUndefined();
    expect(matchPath('/admin', '/administrator')).toBeUndefined();
  });
});

describe('the runtime settings', () => {
  const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status });

  it('are read from /config.json', async () => {
    const config = { graphqlUrl: 'u', realtimeUrl: 'r', apiKey: 'k', region: 'eu-west-1', stage: 'prod', verification: { acceptSimilarity: 92, reviewSimilarity: 75, livenessThreshold: 80, attemptsPerSession: 3, coolDownMinutes: 15, sessionMinutes: 15, reviewDays: 7, recordDays: 30 } };
    await expect(loadConfig(answer(200, config) as typeof fetch)).resolves.toEqual(config);
  });

  it('say what is wrong when missing, incomplete or unreachable', async () => {
    await expect(loadConfig(answer(404, {}) as typeof fetch)).rejects.toThrow(/answered 404/);
    await expect(loadConfig(answer(200, { graphqlUrl: 'u' }) as typeof fetch)).rejects.toThrow(/missing realtimeUrl, apiKey, region, stage, verification.acceptSimilarity, .*verification.recordDays/);
    await expect(loadConfig((async () => { throw new TypeError('failed'); }) as typeof fetch)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('API errors', () => {
  it('keep AppSync\'s errorType, data and errorInfo', () => {
    const error = new CombinedGraphQLErrors({
      errors: [{ message: 'changed by someone else', errorType: 'ConflictError', data: { version: 3 }, errorInfo: { field: 'expectedVersion' } } as never],
    });
    expect(apiError(error)).toEqual({ type: 'ConflictError', message: 'changed by someone else', data: { version: 3 }, info: { field: 'expectedVersion' } });
  });
});
