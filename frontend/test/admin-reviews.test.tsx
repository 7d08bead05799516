import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { describe, expect, it } from 'vitest';
import AdminPage from '../src/admin/AdminPage.tsx';
import { ReviewVerificationDocument, VerificationsForReviewDocument } from '../src/generated/graphql.ts';
import { Toasts } from '../src/ui/toasts.tsx';
import { ADMIN_EMAIL, adminSession, session } from './admin-fixtures.ts';
import { renderWithApp } from './render.tsx';

const queue = (items: object[], nextToken: string | null = null): MockLink.MockedResponse => ({
  request: { query: VerificationsForReviewDocument, variables: { limit: 20 } },
  result: { data: { verificationsForReview: { __typename: 'VerificationReviewConnection', items, nextToken } } },
});

function renderReviews(mocks: MockLink.MockedResponse[]) {
  return renderWithApp(
    <>
      <AdminPage params={{ section: 'reviews' }} />
      <Toasts />
    </>,
    { mocks, session: adminSession() },
  );
}

const penny = (urls = 1) => session('s-penny', 'penny@example.com', 'Penny', urls);

async function openReview(name: string) {
  const item = await screen.findByRole('article', { name });
  await userEvent.click(within(item).getByRole('button', { name: `Review ${name}` }));
  return screen.findByRole('dialog', { name: `Review ${name}` });
}

describe('the review queue', () => {
  it('lists who waits, with both images, similarity, and when the session expires', async () => {
    renderReviews([queue([penny(), session('s-leo', 'leo@example.com', null)])]);

    const item = await screen.findByRole('article', { name: 'Penny' });
    expect(within(item).getByText('penny@example.com')).toBeTruthy();
    expect(within(item).getByText('84.7')).toBeTruthy();
    expect(within(item).getByRole('img', { name: 'ID document of Penny' }).getAttribute('src')).toBe('https://images.test/s-penny/id?v=1');
    expect(within(item).getByRole('img', { name: 'Live face (liveness check) of Penny' }).getAttribute('src')).toBe('https://images.test/s-penny/selfie?v=1');
    // No name given: the email names the person.
    expect(screen.getByRole('article', { name: 'leo@example.com' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Reviews' }).getAttribute('aria-current')).toBe('page');
  });

  it('says nobody is waiting when the queue is empty', async () => {
    renderReviews([queue([])]);
    expect(await screen.findByRole('heading', { name: 'Nobody is waiting' })).toBeTruthy();
  });

  it('reads the queue again when a review opens, for image links that have not expired', async () => {
    renderReviews([queue([penny(1)]), queue([penny(2)])]);
    const dialog = await openReview('Penny');
    await waitFor(() => expect(within(dialog).getByRole('img', { name: 'Live face (liveness check) of Penny' }).getAttribute('src')).toBe('https://images.test/s-penny/selfie?v=2'));
    // The liveness check's evidence: its confidence against the policy, and the frames kept from the video.
    const liveness = within(dialog).getByRole('region', { name: 'Liveness check' });
    expect(liveness.textContent).toMatch(/Confidence 97\.3 \/ 100 \(live at 80 or more\)/);
    expect(within(liveness).getByRole('img', { name: 'Frame of the liveness video 2 of Penny' }).getAttribute('src')).toBe('https://images.test/s-penny/audit-2?v=2');
    const meter = within(dialog).getByRole('meter', { name: 'Similarity' });
    expect(meter.getAttribute('aria-valuenow')).toBe('84.7');
    expect(meter.getAttribute('aria-valuetext')).toMatch(/84.7 of 100, in the review band; review from 80, accept from 90/);
  });

  it('shows what was read from the ID and which document checks need a look, in the queue and the review', async () => {
    renderReviews([queue([penny(1)]), queue([penny(2)])]);
    const item = await screen.findByRole('article', { name: 'Penny' });
    expect(within(item).getByText(/ID: name matches the name entered not checked/)).toBeTruthy();
    const dialog = await openReview('Penny');
    const checks = await within(dialog).findByRole('list', { name: 'Document checks to look at' });
    expect(within(checks).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Name matches the name entered: could not be checked']);
    const read = within(dialog).getByLabelText('Read from the ID');
    expect(within(read).getByText('PENNY (62 % sure)')).toBeTruthy();
    expect(within(read).getByText('1990-04-17 (96 % sure)')).toBeTruthy();
    expect(within(read).getAllByText('not read')).toHaveLength(2);
  });

  it('refreshes the links when an image fails to load', async () => {
    renderReviews([queue([penny(1)]), queue([penny(2)])]);
    const item = await screen.findByRole('article', { name: 'Penny' });
    fireEvent.error(within(item).getByRole('img', { name: 'ID document of Penny' }));
    await waitFor(() => expect(within(item).getByRole('img', { name: 'ID document of Penny' }).getAttribute('src')).toBe('https://images.test/s-penny/id?v=2'));
  });

  it('requires a note, then approves with it; the person leaves the queue', async () => {
    const approved = { request: { query: ReviewVerificationDocument, variables: { id: 's-penny', approve: true, note: 'Same person as on the ID' } }, result: { data: { reviewVerification: { ...penny(), state: 'VERIFIED', idDocumentUrl: null, selfieUrl: null, reviewNote: 'Same person as on the ID', reviewedBy: 'u-admin' } } } };
    renderReviews([queue([penny(1)]), queue([penny(2)]), approved]);
    const dialog = await openReview('Penny');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    const note = within(dialog).getByRole('textbox', { name: 'Note' });
    expect(within(dialog).getByRole('alert').textContent).toMatch(/Write a note/);
    expect(note.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(note);

    await userEvent.type(note, '  Same person as on the ID ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await screen.findByText(/Approved Penny/)).textContent).toMatch(/sign in with their face/);
    expect(screen.queryByRole('article', { name: 'Penny' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Nobody is waiting' })).toBeTruthy();
  });

  it('rejects with the note, as approve: false', async () => {
    const rejected = { request: { query: ReviewVerificationDocument, variables: { id: 's-penny', approve: false, note: 'Different person' } }, result: { data: { reviewVerification: { ...penny(), state: 'FAILED' } } } };
    renderReviews([queue([penny(1)]), queue([penny(2)]), rejected]);
    const dialog = await openReview('Penny');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Note' }), 'Different person');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(await screen.findByText(/Rejected Penny/)).toBeTruthy();
  });

  it("shows the API's refusal, and warns before one's own review", async () => {
    const own = session('s-own', ADMIN_EMAIL, 'Ada Admin');
    const refused = {
      request: { query: ReviewVerificationDocument, variables: { id: 's-own', approve: true, note: 'me' } },
      result: { errors: [{ message: 'Nobody may review their own verification.', errorType: 'Unauthorized' } as never] },
    };
    renderReviews([queue([own]), queue([own]), refused]);
    const dialog = await openReview('Ada Admin');
    expect(within(dialog).getByText(/This is your own verification/)).toBeTruthy();
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Note' }), 'me');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Nobody may review their own verification.');
    expect(screen.getByRole('dialog', { name: 'Review Ada Admin' })).toBeTruthy();
  });
});
