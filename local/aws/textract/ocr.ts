/**
 * Tesseract (tesseract.js: the C++ engine compiled to WebAssembly, in worker threads) with the
 * English LSTM model from the `@tesseract.js-data/eng` package: nothing is downloaded, ever.
 * Three workers, each made on first use and kept: one reads the card as a page of text, one reads
 * machine readable zones with only the MRZ alphabet allowed, one reads a single line where the
 * page reading missed a value.
 */
import { createRequire } from 'node:module';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';

/** A box in an image's pixels: left, top, right, bottom. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One word as read, with its box and Tesseract's confidence (0-100). */
export interface OcrWord {
  text: string;
  confidence: number;
  box: Box;
}

/** One line of text as read: its words, box and confidence. */
export interface OcrLine extends OcrWord {
  words: OcrWord[];
}

/** The OCR the ID reader needs: text lines of a whole image, and the MRZ lines of a region. */
export interface Ocr {
  /** Every line of text in the image (PNG bytes), in reading order. */
  readLines(image: Uint8Array): Promise<OcrLine[]>;
  /** The lines of a machine readable zone (an image of just the zone), read with the MRZ alphabet (A-Z, 0-9, <). */
  readMrz(image: Uint8Array): Promise<OcrLine[]>;
  /** The one line of text of an image of just that line (a value the page reading missed: a short word alone). */
  readLine(image: Uint8Array): Promise<OcrLine[]>;
  close(): Promise<void>;
}

const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/** Where the English model is: the package's own folder, read from disk. */
function englishModel(): { langPath: string; gzip: boolean } {
  const require = createRequire(import.meta.url);
  const data = require('@tesseract.js-data/eng') as { langPath: string; gzip: boolean };
  return { langPath: data.langPath, gzip: data.gzip };
}

/** The OCR over two lazily started Tesseract workers. */
export function createOcr(): Ocr {
  const start = async (parameters: Record<string, string>) => {
    const worker = await createWorker('eng', OEM.LSTM_ONLY, { ...englishModel(), cacheMethod: 'none', errorHandler: () => {} });
    await worker.setParameters(parameters);
    return worker;
  };
  let text: Promise<Worker> | undefined;
  let mrz: Promise<Worker> | undefined;
  let line: Promise<Worker> | undefined;
  const textWorker = () => (text ??= start({ tessedit_pageseg_mode: PSM.AUTO, user_defined_dpi: '300' }));
  const lineWorker = () => (line ??= start({ tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: '300' }));
  const mrzWorker = () => (mrz ??= start({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK, tessedit_char_whitelist: MRZ_ALPHABET, user_defined_dpi: '300' }));

  return {
    async readLines(image) {
      const { data } = await (await textWorker()).recognize(Buffer.from(image), {}, { blocks: true, text: false });
      return linesOf(data.blocks);
    },
    async readMrz(image) {
      const { data } = await (await mrzWorker()).recognize(Buffer.from(image), {}, { blocks: true, text: false });
      return linesOf(data.blocks);
    },
    async readLine(image) {
      const { data } = await (await lineWorker()).recognize(Buffer.from(image), {}, { blocks: true, text: false });
      return linesOf(data.blocks);
    },
    async close() {
      const running = [text, mrz, line];
      text = mrz = line = undefined;
      await Promise.all(running.map(async (worker) => (await worker?.catch(() => undefined))?.terminate()));
    },
  };
}

type TesseractWord = { text: string; confidence: number; bbox: Box };
type TesseractBlock = { paragraphs: { lines: (TesseractWord & { words: TesseractWord[] })[] }[] };

function linesOf(blocks: TesseractBlock[] | null): OcrLine[] {
  const word = (w: TesseractWord): OcrWord => ({ text: w.text.trim(), confidence: w.confidence, box: w.bbox });
  return (blocks ?? [])
    .flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines))
    .map((line) => ({ ...word(line), words: line.words.map(word).filter((w) => w.text.length > 0) }))
    .filter((line) => line.text.length > 0);
}
