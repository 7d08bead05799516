import { describe, expect, it } from 'vitest';
import type { OcrLine } from '../../local/aws/textract/ocr.ts';
import { printedFields, unreadValues } from '../../local/aws/textract/printed-fields.ts';

// The printed zone of a card read from Tesseract's lines: labels and the values under them.
/** A line of `text` at (x, y), its words laid out left to right, each 14 px a letter and 24 px tall. */
function line(text: string, x: number, y: number, confidence = 95): OcrLine {
  let left = x;
  const words = text.split(' ').map((word) => {
    const box = { x0: left, y0: y, x1: left + word.length * 14, y1: y + 24 };
    left = box.x1 + 14;
    return { text: word, confidence, box };
  });
  return { text, confidence, box: { x0: x, y0: y, x1: left - 14, y1: y + 24 }, words };
}

/** A card's printed side as a card photographed from afar reads: labels small, values bold. */
const farCard = (nameLabel: string, name: string) => [
  line('REPUBLIC OF EXAMPLE - IDENTITY CARD', 40, 10),
  line(nameLabel, 300, 100, 68),
  line(name, 300, 130),
  line('Date of birth', 300, 180),
  line('07.08.1977', 300, 210),
  line('Expiry', 300, 330),
  line('31.12.2031', 300, 360),
];

describe('printed fields under labels OCR misread', () => {
  it.each(['srname / Given name:', 'Sumame / Given names', 'Surname / Glven names'])('reads the names under "%s" as surname and given names, with their confidence', (label) => {
    const fields = printedFields(farCard(label, 'BIDEN JOSEPH'));
    expect(fields.surname).toEqual({ text: 'BIDEN', confidence: 95 });
    expect(fields.givenNames).toEqual({ text: 'JOSEPH', confidence: 95 });
  });

  it('reads a surname alone under a misread "Surname / Given names" as the surname, with no given names', () => {
    const fields = printedFields(farCard('srname / Given name:', 'BIDEN'));
    expect(fields.surname).toEqual({ text: 'BIDEN', confidence: 95 });
    expect(fields.givenNames).toBeUndefined();
  });

  it('leaves a label word read right as it is ("expiry" is one, though "expires" is near): its value is read, no line read again', () => {
    const lines = [line('Date of expiry', 300, 100), line('10.10.2032', 300, 130)];
    expect(printedFields(lines).dateOfExpiry).toEqual({ text: '10.10.2032', confidence: 95, iso: '2032-10-10' });
    expect(unreadValues(lines)).toEqual([]);
  });

  it('never re-spells a value in capitals that looks like a label word (BIRTE is a name, not "birth")', () => {
    const fields = printedFields([line('Surname', 300, 100), line('HANSEN', 300, 130), line('Given names', 300, 180), line('BIRTE', 300, 210)]);
    expect(fields).toMatchObject({ surname: { text: 'HANSEN' }, givenNames: { text: 'BIRTE' } });
  });
});
