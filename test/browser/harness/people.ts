/**
 * People of ../shared/faces for the scenarios: an ID card image and selfies of the same person,
 * and someone else's face for the impostor.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { facesAvailable } from '../../helpers/shared-data.ts';
import { FACES } from './browser.ts';

/** Whether ../shared/faces is here; the scenarios with faces skip when not (the run's setup says why). */
export { facesAvailable };

export const penny = {
  name: 'Penny', // as her card prints it: the ID check compares the name entered with the card's
  idCard: path.join(FACES, 'cards', 'bbt_penny_card.jpg'),
  selfie: path.join(FACES, 'people', 'penny_penny2.png'),
};
export const leonard = {
  name: 'Leonard', // as his card prints it
  idCard: path.join(FACES, 'cards', 'bbt_leonard_card.jpg'),
  selfie: path.join(FACES, 'people', 'leonard_leonard2.png'),
};
/** Someone who is not Penny. */
export const sheldonFace = path.join(FACES, 'people', 'sheldon_sheldon2.png');

/**
 * Goes through /verify as a person does: consent, details, the ID as a file, a selfie from the
 * browser's (fake) camera, and Verify. Resolves when the answer is being shown.
 */
export async function verifyIdentity(page: Page, person: { name: string; email: string; idCard: string }, shot?: (name: string) => Promise<unknown>): Promise<void> {
  await page.goto('/verify');
  await page.getByRole('checkbox', { name: /I agree/ }).check();
  await shot?.('consent');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('textbox', { name: 'Full name' }).fill(person.name);
  await page.getByRole('textbox', { name: 'Email' }).fill(person.email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Photo of your ID').setInputFiles(person.idCard);
  await page.getByRole('img', { name: 'Your ID photo' }).waitFor();
  await shot?.('id-document');
  await page.getByRole('button', { name: 'Continue' }).click();
  const take = page.getByRole('button', { name: 'Take selfie' });
  await take.waitFor();
  await page.waitForFunction(() => !(document.querySelector('button[disabled]')?.textContent ?? '').includes('Take selfie'));
  await take.click();
  await page.getByRole('img', { name: 'Your selfie' }).waitFor();
  await shot?.('selfie');
  await page.getByRole('button', { name: 'Verify my identity' }).click();
}
