/**
 * Reads an identity document from a photo, offline: decode, find the card and straighten it,
 * read its text (Tesseract), then its machine readable zone (a second reading with the MRZ
 * alphabet only) and its printed fields. Knows nothing of who asks; `textract.ts` puts what it
 * reads into Textract's shapes.
 */
import sharp, { type OutputInfo } from 'sharp';
import { findCard, sideRatio, type Point, type RawImage } from './card-finder.ts';
import { bestMrz, fitMrz, looksLikeMrz, mendMrz, mrzChecksHold, mrzRegion, namesDiffer, withPrintedName, type PrintedValues } from './mrz-zone.ts';
import type { Box, Ocr, OcrLine } from './ocr.ts';
import { warpToRectangle } from './perspective.ts';
import { printedFields, unreadValues, type FieldLabel, type PrintedFields } from './printed-fields.ts';

/** What was read from one photo. */
export interface IdReading {
  printed: PrintedFields;
  /** The MRZ's lines fitted to their format; empty when there is no MRZ of a known format. */
  mrz: string[];
  /** Every line of text read on the (straightened) document, positions as ratios of it. */
  lines: { text: string; confidence: number; left: number; top: number; width: number; height: number }[];
}

/** The photo could not be decoded as an image. */
export class UnreadableImageError extends Error {
  override readonly name = 'UnreadableImageError';
}

/** The photo has more pixels than the reader takes. */
export class ImageTooLargeError extends Error {
  override readonly name = 'ImageTooLargeError';
}

/** Options of {@link readId}. */
export interface ReadIdOptions {
  /** The largest photo decoded, in pixels; default 40 million. */
  maxPixels?: number;
}

/** How wide the straightened card is read: about 300 dpi on an ID-1 card, where Tesseract reads best. */
const CARD_WIDTH = 1011;
/** The photo is searched for a card at this size (and blurred): enough to find its edges. */
const FINDER_SIDE = 480;
/** A reading with fewer sure words than this is tried again upside down (a card read upside down yields few). */
const SURE_WORDS = 8;

/** Reads `image` (JPEG or PNG bytes) with `ocr`. */
export async function readId(ocr: Ocr, image: Uint8Array, options: ReadIdOptions = {}): Promise<IdReading> {
  const document = await straightenedDocument(image, options.maxPixels ?? 40_000_000);
  const png = (raw: RawImage) => sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();

  let page = document;
  let bytes = await png(page);
  let lines = await ocr.readLines(bytes);
  if (sureWords(lines) < SURE_WORDS) {
    const turned = rotateHalf(page);
    const turnedBytes = await png(turned);
    const again = await ocr.readLines(turnedBytes);
    if (sureWords(again) > sureWords(lines)) [page, bytes, lines] = [turned, turnedBytes, again];
  }
  const text = lines.filter((line) => !looksLikeMrz(line.text));
  const current = page;
  const crop = (box: Box, binarize = false) => enlargedCrop(current, box, { binarize });

  const [mrz, filled] = await Promise.all([
    readMrzZone(ocr, lines, crop, page, printedValues(printedFields(text))),
    Promise.all(unreadValues(text).map(async ({ label, region }) => [label, await ocr.readLine(await crop(region))] as const)),
  ]);
  return {
    printed: printedFields(text, Object.fromEntries(filled) as Partial<Record<FieldLabel, OcrLine[]>>),
    mrz,
    lines: lines.map((line) => ({
      text: line.text,
      confidence: line.confidence,
      left: line.box.x0 / page.width,
      top: line.box.y0 / page.height,
      width: (line.box.x1 - line.box.x0) / page.width,
      height: (line.box.y1 - line.box.y0) / page.height,
    })),
  };
}

/**
 * The document as one upright greyscale image: the card found in the photo and straightened, or
 * the whole photo (turned to landscape) when no card stands out from a background.
 */
async function straightenedDocument(image: Uint8Array, maxPixels: number): Promise<RawImage> {
  let grey: { data: Buffer; info: OutputInfo };
  let small: { data: Buffer; info: OutputInfo };
  try {
    const decoder = () => sharp(image, { limitInputPixels: maxPixels, failOn: 'error' }).rotate();
    grey = await decoder().greyscale().raw().toBuffer({ resolveWithObject: true });
    const scale = Math.min(1, FINDER_SIDE / Math.max(grey.info.width, grey.info.height));
    small = await decoder()
      .resize(Math.max(1, Math.round(grey.info.width * scale)), Math.max(1, Math.round(grey.info.height * scale)), { fit: 'fill' })
      .blur(1.5)
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    if (/pixel limit/i.test(String(error))) throw new ImageTooLargeError('the image has too many pixels');
    throw new UnreadableImageError(`the image could not be decoded: ${String(error)}`);
  }
  const photo: RawImage = { data: grey.data, width: grey.info.width, height: grey.info.height, channels: 1 };
  const finder: RawImage = { data: small.data, width: small.info.width, height: small.info.height, channels: small.info.channels };
  const corners = findCard(finder);
  if (corners) {
    const scaleBack = photo.width / finder.width;
    const inPhoto: Point[] = corners.map((p) => ({ x: p.x * scaleBack, y: p.y * scaleBack }));
    return warpToRectangle(photo, inPhoto, CARD_WIDTH, Math.round(CARD_WIDTH / sideRatio(inPhoto)));
  }
  // No card found: the photo is the document (or no document at all). Landscape, and no wider than a card read at 300 dpi's larger cousin.
  let whole = photo.height > photo.width * 1.1 ? await rotateQuarter(photo) : photo;
  if (whole.width > CARD_WIDTH * 1.5) whole = await resize(whole, Math.round(CARD_WIDTH * 1.5));
  return whole;
}

/**
 * The MRZ's lines: read again with the MRZ alphabet only, as ink on white, and fitted to their
 * format; read a third time as photographed only when that and the page reading do not hold
 * (each pass of Tesseract costs as much as the rest of the card). The readings are hypotheses of
 * the same characters: the first combination of their lines whose check digits all hold is
 * taken, else a mended reading that `printed` corroborates (mendMrz), else the first reading. A
 * check digit that is wrong on the card is wrong in every reading, so this cannot hide it; it
 * spares an honest card a misread character.
 */
async function readMrzZone(ocr: Ocr, lines: OcrLine[], crop: (box: Box, binarize?: boolean) => Promise<Buffer>, page: RawImage, printed: PrintedValues): Promise<string[]> {
  const region = mrzRegion(lines, page.width, page.height);
  if (!region) return [];
  const texts = (reading: OcrLine[]) => reading.map((line) => line.text);
  const onPage = texts(lines.filter((line) => looksLikeMrz(line.text)));
  const inked = await ocr.readMrz(await crop(region, true));
  let asRead = [texts(inked), onPage];
  let readings = asRead.map(fitMrz).filter((r): r is string[] => r !== undefined);
  let best = bestMrz(readings);
  if (best && mrzChecksHold(best)) {
    const named = withPrintedName(best, readings, printed);
    // A name line that says another name than the print is read once more before it is believed.
    if (!namesDiffer(named, printed)) return named;
  }
  const plain = await ocr.readMrz(await crop(region));
  asRead = [texts(inked), texts(plain), onPage];
  readings = asRead.map(fitMrz).filter((r): r is string[] => r !== undefined);
  best = bestMrz(readings);
  if (best && mrzChecksHold(best)) return withPrintedName(best, readings, printed);
  const mended = mendMrz(asRead, printed);
  if (mended) return withPrintedName(mended, readings, printed);
  if (!best) return [];
  // Nothing held. Tesseract often drops or misreads the check digit that ends the second line
  // after a long run of fillers: that line's end, read alone, is one more hypothesis.
  const zone = inked.filter((line) => line.text.length >= 20);
  const second = zone[zone.length - best.length + 1];
  const digit = second && (await lastDigit(ocr, second, region, crop));
  if (!digit || /\d$/.test(best[1]!)) return withPrintedName(best, readings, printed);
  return withPrintedName(bestMrz([...readings, best.map((line, i) => (i === 1 ? line.slice(0, -1) + digit : line))]) ?? best, readings, printed);
}

/** The printed document number, dates and names, to corroborate an MRZ reading with. */
function printedValues(printed: PrintedFields): PrintedValues {
  return { documentNumber: printed.documentNumber?.text, dateOfBirth: printed.dateOfBirth?.iso, dateOfExpiry: printed.dateOfExpiry?.iso, surname: printed.surname?.text, givenNames: printed.givenNames?.text };
}

/** The digit that ends `line` (of the zone read from `region`), read alone; undefined when it reads as none. */
async function lastDigit(ocr: Ocr, line: OcrLine, region: Box, crop: (box: Box, binarize?: boolean) => Promise<Buffer>): Promise<string | undefined> {
  // The zone was read enlarged twice with a margin (enlargedCrop): back to page pixels.
  const x = (value: number) => region.x0 + (value - 24) / 2;
  const y = (value: number) => region.y0 + (value - 24) / 2;
  const character = (x(line.box.x1) - x(line.box.x0)) / line.text.length;
  const height = y(line.box.y1) - y(line.box.y0);
  const tail = { x0: Math.round(x(line.box.x1) - character * 3), y0: Math.round(y(line.box.y0) - height * 0.3), x1: Math.round(x(line.box.x1) + character * 3), y1: Math.round(y(line.box.y1) + height * 0.3) };
  const read = (await ocr.readMrz(await crop(tail, true))).map((l) => l.text).join('');
  return /\d$/.test(read) ? read.at(-1) : undefined;
}

/** A region of the page, twice as large: small print (an MRZ, a short name) reads better with more pixels per stroke. */
function enlargedCrop(page: RawImage, box: Box, options: { scale?: number; binarize?: boolean } = {}): Promise<Buffer> {
  const scale = options.scale ?? 2;
  const left = Math.max(0, Math.min(page.width - 1, box.x0));
  const top = Math.max(0, Math.min(page.height - 1, box.y0));
  const width = Math.max(1, Math.min(page.width, box.x1) - left);
  const height = Math.max(1, Math.min(page.height, box.y1) - top);
  const crop = sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } })
    .extract({ left, top, width, height })
    .resize(width * scale, height * scale, { kernel: 'lanczos3' })
    // A margin of paper all round: Tesseract drops characters that touch the edge.
    .extend({ top: 12 * scale, bottom: 12 * scale, left: 12 * scale, right: 12 * scale, background: { r: 255, g: 255, b: 255 } });
  // Ink against paper: the MRZ's dark print stays, the card's pale guilloche behind it goes.
  if (options.binarize) crop.normalise().threshold(150, { greyscale: true });
  return crop.png({ compressionLevel: 1 }).toBuffer();
}

function sureWords(lines: OcrLine[]): number {
  return lines.flatMap((line) => line.words).filter((word) => word.confidence >= 80 && /[\p{L}\d]{3,}/u.test(word.text)).length;
}

function rotateHalf(image: RawImage): RawImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = image.data[data.length - 1 - i]!;
  return { ...image, data };
}

async function rotateQuarter(image: RawImage): Promise<RawImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } }).rotate(90).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 1 };
}

async function resize(image: RawImage, width: number): Promise<RawImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } }).resize(width).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 1 };
}
