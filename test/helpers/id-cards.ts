/**
 * Synthetic identity documents for the document tests and bench/documents: an ID-1 card drawn
 * as SVG and rendered by sharp (as the shared cards of ../shared/faces/cards were made), with a
 * TD1 machine readable zone whose check digits are computed here (or deliberately wrong), or a
 * driving licence without one; photographed alone, on a desk, or far away on a desk.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { nameTokens } from '../../functions/verification/documents/names.ts';
import { seededRandom } from '../../lib/seeded-random.ts';

/** What the card says. Dates are ISO (`YYYY-MM-DD`). */
export interface CardHolder {
  surname: string;
  givenNames: string;
  dateOfBirth: string;
  dateOfExpiry: string;
  /** Nine letters and digits. */
  documentNumber: string;
  sex?: 'M' | 'F';
}

export interface CardOptions {
  /** `TD1`: an ID card with a correct MRZ; `bad-check-digit`: the same with the birth date's check digit wrong; `none`: a driving licence without an MRZ. */
  mrz?: 'TD1' | 'bad-check-digit' | 'none';
  /** The holder's photo (any image); default a plain grey silhouette. */
  photo?: Uint8Array;
  /** A second face printed on the card (a ghost image, as many IDs have), same photo. */
  ghostPhoto?: boolean;
  /** The values and the MRZ so faded that they do not read (a worn card, glare); the title, the labels and the photo stay clear. */
  faded?: boolean;
}

export type Scene = 'card' | 'desk' | 'far';

const WIDTH = 1011;
const HEIGHT = 638;
const WEIGHTS = [7, 3, 1];

/** The ICAO 9303 check digit of `field` (digits, letters A=10..Z=35, `<` = 0, weights 7 3 1). */
export function checkDigit(field: string): string {
  let sum = 0;
  [...field].forEach((c, i) => {
    const value = c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += value * WEIGHTS[i % 3]!;
  });
  return String(sum % 10);
}

/** The three TD1 lines for `holder`, issued by Utopia (ICAO's specimen state). */
export function td1(holder: CardHolder, options: { badCheckDigit?: boolean } = {}): string[] {
  const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  // ICAO 9303's transliteration (Ð as D, apostrophes dropped, hyphens and spaces as fillers).
  const mrzName = (name: string) => nameTokens(name).join('<');
  const number = holder.documentNumber.padEnd(9, '<');
  const line1 = `I<UTO${number}${checkDigit(number)}`.padEnd(30, '<');
  const birth = yymmdd(holder.dateOfBirth);
  const expiry = yymmdd(holder.dateOfExpiry);
  const birthCheck = options.badCheckDigit ? String((Number(checkDigit(birth)) + 3) % 10) : checkDigit(birth);
  const partial = `${birth}${birthCheck}${holder.sex ?? 'F'}${expiry}${checkDigit(expiry)}UTO`.padEnd(29, '<');
  const composite = checkDigit(line1.slice(5, 30) + partial.slice(0, 7) + partial.slice(8, 15) + partial.slice(18, 29));
  const line2 = partial + composite;
  const line3 = `${mrzName(holder.surname)}<<${mrzName(holder.givenNames)}`.padEnd(30, '<').slice(0, 30);
  return [line1, line2, line3];
}

const printed = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The card alone, 1011 x 638 JPEG, as a flatbed scan or a tight crop would give it. */
export async function renderCard(holder: CardHolder, options: CardOptions = {}): Promise<Buffer> {
  const mrz = options.mrz ?? 'TD1';
  const title = mrz === 'none' ? 'REPUBLIC OF UTOPIA · DRIVING LICENCE' : 'REPUBLIC OF UTOPIA · IDENTITY CARD';
  const field = (y: number, label: string, value: string) =>
    `<text x="300" y="${y}" font-family="DejaVu Sans" font-size="17" fill="#4a5663">${escape(label)}</text>` +
    `<text x="300" y="${y + 32}" font-family="DejaVu Sans" font-weight="bold" font-size="28" fill="${ink('#111')}">${escape(value)}</text>`;
  const ink = (colour: string) => (options.faded ? '#d9dfe0' : colour);
  const lines = mrz === 'none' ? [] : td1(holder, { badCheckDigit: mrz === 'bad-check-digit' });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#dde7ea"/><stop offset="1" stop-color="#ece3d6"/></linearGradient></defs>
    <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#bg)"/>
    ${Array.from({ length: 14 }, (_, i) => `<ellipse cx="${620 + i * 23}" cy="${330 + (i % 4) * 12}" rx="${180 + i * 9}" ry="${120 + i * 5}" fill="none" stroke="#9fb2bb" stroke-width="0.7" opacity="0.5"/>`).join('')}
    <rect width="${WIDTH}" height="70" fill="${mrz === 'none' ? '#1f5e4b' : '#1f4e79'}"/>
    <text x="30" y="48" font-family="DejaVu Sans" font-weight="bold" font-size="31" fill="#fff">${escape(title)}</text>
    <rect x="40" y="100" width="220" height="293" fill="#8d969e" stroke="#444" stroke-width="2"/>
    ${field(128, 'Surname', holder.surname.toUpperCase())}
    ${field(198, 'Given names', holder.givenNames.toUpperCase())}
    ${field(268, 'Date of birth', printed(holder.dateOfBirth))}
    ${field(338, 'Document no.', holder.documentNumber)}
    ${field(408, 'Date of expiry', printed(holder.dateOfExpiry))}
    ${options.ghostPhoto ? '<rect x="800" y="250" width="110" height="146" fill="#b9c0c6"/>' : ''}
    ${lines.map((line, i) => `<text x="30" y="${540 + i * 36}" font-family="DejaVu Sans Mono" font-size="26" fill="${ink('#222')}" xml:space="preserve">${escape(line)}</text>`).join('')}
  </svg>`;
  const composites: OverlayOptions[] = [];
  if (options.photo) {
    const photo = await sharp(options.photo).resize(216, 289, { fit: 'cover' }).toBuffer();
    composites.push({ input: photo, left: 42, top: 102 });
    if (options.ghostPhoto) composites.push({ input: await sharp(options.photo).resize(110, 146, { fit: 'cover' }).greyscale().toBuffer(), left: 800, top: 250 });
  }
  return sharp(Buffer.from(svg)).composite(composites).jpeg({ quality: 90 }).toBuffer();
}

/**
 * The card photographed in `scene`: `card` alone; `desk`, turned a few degrees on a wooden desk
 * (the card 55 % of a 1600 x 1200 photo); `far`, the same at 25 % of a 2400 x 1800 photo. `seed`
 * picks the angle and the card's place.
 */
export async function photograph(card: Buffer, scene: Scene, seed = 1): Promise<Buffer> {
  if (scene === 'card') return card;
  const [width, height, share] = scene === 'desk' ? [1600, 1200, 0.55] : [2400, 1800, 0.25];
  const random = seededRandom(seed);
  const angle = (random() - 0.5) * 10;
  const cardWidth = Math.round(width * share);
  const turned = await sharp(card)
    .resize(cardWidth)
    .rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer({ resolveWithObject: true });
  const left = Math.round((width - turned.info.width) * (0.3 + random() * 0.4));
  const top = Math.round((height - turned.info.height) * (0.3 + random() * 0.4));
  const grain = Array.from({ length: 160 }, (_, i) => {
    const y = (i * height) / 160 + random() * 4;
    const shade = 90 + Math.round(random() * 40);
    return `<rect x="0" y="${y.toFixed(1)}" width="${width}" height="${(1 + random() * 5).toFixed(1)}" fill="rgb(${shade + 30},${shade},${Math.round(shade * 0.62)})" opacity="0.55"/>`;
  }).join('');
  const desk = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#7a5a3c"/>${grain}</svg>`;
  return sharp(Buffer.from(desk))
    .composite([{ input: turned.data, left, top }])
    .jpeg({ quality: 88 })
    .toBuffer();
}

