import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { face, facesAvailable } from '../helpers/faces.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient, personOf } from '../helpers/verification.ts';

/**
 * Manual review. The policy here sends every genuine pair to review (accept at 100, review
 * from 50), so each onboarding below waits for an admin.
 */
describe.skipIf(!facesAvailable)('manual review and tokens', () => {
  let stack: TestStack;
  let client: ReturnType<typeof onboardingClient>;
  let admin: { token: string; userId: string };
  const asAdmin = async (query: string, variables: Record<string, unknown> = {}) => (await stack.graphql(query, variables, { authorization: admin.token })).body;
  const invite = (email: string) => asAdmin(`mutation ($e: AWSEmail!) { inviteUser(email: $e, role: MEMBER) { email } }`, { e: email });
  const REVIEW_FIELDS = 'id kind state email name similarity livenessConfidence idDocumentUrl selfieUrl auditImageUrls reviewNote reviewedBy expiresAt';

  beforeAll(async () => {
    stack = await startTestStack({
      config: { verification: { ...defaultVerificationPolicy, acceptSimilarity: 100, reviewSimilarity: 50, attemptsPerSource: 10_000 } },
    });
    client = onboardingClient(stack);
    admin = await stack.tokenFor('reviewer@example.com', 'ADMIN');
  }, 120_000);
  afterAll(() => stack?.stop());

  /** Onboards with a shared card and a liveness check filmed from `photo`, entering the name printed on the card (`name`, by default the email's user part). */
  const toReview = async (email: string, card: string, photo: string, name = email.split('@')[0]) => {
    await invite(email);
    const answer = await client.verify({ email, name, idDocument: await face(card), person: { kind: 'genuine', person: await personOf(stack, photo) } });
    expect(answer.errors).toBeUndefined();
    const session = answer.data!.submitVerification;
    expect(session).toMatchObject({ state: 'NEEDS_REVIEW', token: null });
    expect(session.reason).toMatch(/administrator will review/);
    return session.id as string;
  };

  it('lists sessions in review with one-minute image links, and an admin approves one', async () => {
    const id = await toReview('penny@example.com', 'cards/bbt_penny_card.jpg', 'people/penny_penny2.png');
    const listed = await asAdmin(`{ verificationsForReview { items { ${REVIEW_FIELDS} } nextToken } }`);
    expect(listed.errors).toBeUndefined();
    const item = listed.data.verificationsForReview.items.find((i: any) => i.id === id);
    expect(item).toMatchObject({ email: 'penny@example.com', state: 'NEEDS_REVIEW', similarity: expect.any(Number), livenessConfidence: expect.any(Number) });
    // The reviewer sees the live reference image and the frames the liveness check kept.
    const link = new URL(item.selfieUrl);
    expect(Number(link.searchParams.get('X-Amz-Expires'))).toBe(60);
    expect((await fetch(item.selfieUrl)).status).toBe(200);
    expect(item.auditImageUrls.length).toBeGreaterThan(0);
    for (const url of item.auditImageUrls) expect((await fetch(url)).status).toBe(200);
    const image = await fetch(item.idDocumentUrl);
    expect(image.status).toBe(200);
    expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    const reviewed = await asAdmin(`mutation ($id: ID!) { reviewVerification(id: $id, approve: true, note: "Matches the ID at a glance") { ${REVIEW_FIELDS} } }`, { id });
    expect(reviewed.errors).toBeUndefined();
    expect(reviewed.data.reviewVerification).toMatchObject({ state: 'VERIFIED', reviewNote: 'Matches the ID at a glance', reviewedBy: admin.userId, idDocumentUrl: null });
    expect((await client.get(id)).data!.verification).toMatchObject({ state: 'VERIFIED', token: null, reason: expect.stringMatching(/Sign in with your face/) });
    // Reviewed once: a second decision is a conflict, and the images are gone.
    const again = await asAdmin(`mutation ($id: ID!) { reviewVerification(id: $id, approve: false, note: "no") { id } }`, { id });
    expect(again.errors?.[0]?.errorType).toBe('ConflictError');
    expect((await fetch(item.selfieUrl)).status).toBe(404);

    const audit = await asAdmin('{ auditLog(filter: { action: VERIFICATION_REVIEWED }) { items { targetId outcome actorId details } } }');
    expect(audit.data.auditLog.items[0]).toMatchObject({ targetId: id, outcome: 'APPROVED', actorId: admin.userId });
    expect(JSON.parse(audit.data.auditLog.items[0].details).note).toBe('Matches the ID at a glance');
  });

  it('rejects a session with a note: FAILED, images deleted, the person told by email', async () => {
    const id = await toReview('leonard@example.com', 'cards/bbt_leonard_card.jpg', 'people/leonard_leonard3.png');
    const reviewed = await asAdmin(`mutation ($id: ID!) { reviewVerification(id: $id, approve: false, note: "ID photo unreadable") { state } }`, { id });
    expect(reviewed.data.reviewVerification.state).toBe('FAILED');
    const page = await (await fetch(stack.graphqlUrl.replace('/graphql', '/outbox'))).text();
    expect(page).toContain('could not be confirmed');
  });

  it('refuses review to members, empty notes, and one\'s own session', async () => {
    const member = await stack.tokenFor('member@example.com', 'MEMBER');
    const listed = await stack.graphql('{ verificationsForReview { items { id } } }', {}, { authorization: member.token });
    expect(listed.body.errors?.[0]?.errorType).toBe('Unauthorized');
    const id = await toReview('reviewer@example.com', 'cards/bbt_sheldon_card.jpg', 'people/sheldon_sheldon2.png', 'Sheldon').catch(() => undefined);
    if (id) {
      const own = await asAdmin(`mutation ($id: ID!) { reviewVerification(id: $id, approve: true, note: "me") { id } }`, { id });
      expect(own.errors?.[0]?.errorType).toBe('Unauthorized');
      const blank = await asAdmin(`mutation ($id: ID!) { reviewVerification(id: $id, approve: true, note: "  ") { id } }`, { id });
      expect(blank.errors?.[0]?.errorType).toBe('ValidationError');
    }
    // The API key alone cannot list or review.
    const anonymous = await stack.graphql('{ verificationsForReview { items { id } } }', {}, { 'x-api-key': stack.apiKey });
    expect(anonymous.body.errors?.[0]?.errorType).toBe('Unauthorized');
  });
});
