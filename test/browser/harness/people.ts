/**
 * People of ../shared/faces for the scenarios: an ID card image and another photo of the same
 * person (filmed for the liveness camera, test/browser/harness/liveness-camera.ts), and someone
 * else's face for the impostor.
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
  face: 'people/penny_penny2.png',
  /** Another photo of her, for a face sign-in (her reference face came from `face`). */
  signInFace: 'people/penny_penny4.png',
};
export const leonard = {
  name: 'Leonard', // as his card prints it
  idCard: path.join(FACES, 'cards', 'bbt_leonard_card.jpg'),
  face: 'people/leonard_leonard2.png',
};
/** Someone who is not Penny. */
export const sheldonFace = 'people/sheldon_sheldon2.png';

/**
 * Goes through /verify as a person does: consent, details, the ID as a file, then "Verify my
 * identity", which uploads the ID and starts the liveness check. Resolves when the check's screen
 * is up (the component then loads and opens the camera).
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
  await page.getByRole('heading', { name: 'Your live face' }).waitFor();
  await shot?.('live-face');
  await page.getByRole('button', { name: 'Verify my identity' }).click();
}
