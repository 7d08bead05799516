import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient } from '../helpers/verification.ts';

/**
 * A fresh local install with no ADMIN_EMAILS: the first person may verify without an
 * invitation, as the admin; once anybody exists, the rule is over. (No face is compared here:
 * the rule decides who may start and with which role.)
 */
describe('the first person on a fresh install', () => {
  let stack: TestStack;
  let client: ReturnType<typeof onboardingClient>;
  const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(200).fill(0)]);

  beforeAll(async () => {
    stack = await startTestStack({ config: { adminEmails: [], verification: { ...defaultVerificationPolicy, firstUserBecomesAdmin: true } } });
    client = onboardingClient(stack);
  });
  afterAll(() => stack?.stop());

  it('may start without an invitation and will be the admin; after the first user, invitations rule again', async () => {
    const first = await client.start({ email: 'founder@example.com', idDocument: image });
    expect(first.errors).toBeUndefined();
    const session = await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName('VerificationSessions'), Key: { id: { S: first.data!.startVerification.id } } }));
    expect(session.Item?.role?.S).toBe('ADMIN');

    await stack.tokenFor('founder@example.com', 'ADMIN'); // the founder has verified
    const second = await client.start({ email: 'someone@example.com', idDocument: image });
    expect(second.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: expect.stringMatching(/not been invited/) });
  });

  it('an invitation arrives by email through the outbox', async () => {
    const admin = await stack.tokenFor('founder@example.com', 'ADMIN');
    const invited = await stack.graphql('mutation { inviteUser(email: "grace@example.com", role: MEMBER) { email } }', {}, { authorization: admin.token });
    expect(invited.body.errors).toBeUndefined();
    await stack.fanOut.settled();
    const page = await (await fetch(stack.graphqlUrl.replace('/graphql', '/outbox'))).text();
    expect(page).toContain('grace@example.com');
    expect(page).toContain('You are invited to SecureTask');
    // The invited person may now start.
    expect((await client.start({ email: 'grace@example.com', idDocument: image })).errors).toBeUndefined();
  });
});

describe('the first person on a fresh install with open signup', () => {
  let stack: TestStack;
  const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(200).fill(0)]);

  beforeAll(async () => {
    stack = await startTestStack({ config: { adminEmails: [], verification: { ...defaultVerificationPolicy, signup: 'open', firstUserBecomesAdmin: true } } });
  });
  afterAll(() => stack?.stop());

  it('is still the admin (open signup must not leave the install without one); the next people are members', async () => {
    const client = onboardingClient(stack);
    const roleOf = async (email: string) => {
      const started = await client.start({ email, idDocument: image });
      expect(started.errors).toBeUndefined();
      const session = await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName('VerificationSessions'), Key: { id: { S: started.data!.startVerification.id } } }));
      return session.Item?.role?.S;
    };
    expect(await roleOf('founder@example.com')).toBe('ADMIN');
    await stack.tokenFor('founder@example.com', 'ADMIN');
    expect(await roleOf('newcomer@example.com')).toBe('MEMBER');
  });
});
