// Throwaway probe: per-image breakdown of analyzeImage on the main thread. Delete afterwards.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadModels } from '../../local/faces/models.ts';
import { analyzeImage } from '../../local/faces/analyze.ts';

const dir = path.resolve(import.meta.dirname, '../../../shared/faces');
const files = process.argv.slice(2).length ? process.argv.slice(2) : [
  'photos/obama_2.jpg', 'cards/facerec_obama_card.jpg', 'cards/facerec_obama_card_on_desk.jpg', 'cards/facerec_obama_card_far.jpg',
  'photos/biden_2.jpg', 'cards/facerec_biden_card_on_desk.jpg', 'cards/facerec_biden_card_far.jpg',
  'photos/kit_2.jpg', 'photos/rose_2.jpg', 'photos/alex_2.jpg', 'people/amy_amy2.png',
  'cards/bbt_amy_card_on_desk.jpg', 'cards/bbt_amy_card_far.jpg',
];
const models = await loadModels();
const stats: Record<string, { n: number; ms: number }> = {};
function wrap(obj: any, key: string, label: string) {
  const orig = obj[key].bind(obj);
  obj[key] = async (...args: unknown[]) => {
    const t = performance.now();
    const r = await orig(...args);
    if (label === 'rec' || label === 'lm') await (r as any).data();
    const s = (stats[label] ??= { n: 0, ms: 0 });
    s.n++; s.ms += performance.now() - t;
    return r;
  };
}
wrap(models.human, 'detect', 'human');
wrap(models.landmarkNet, 'forward', 'lm');
wrap(models.recognitionNet, 'forward', 'rec');
const reps = Number(process.env.REPS ?? 3);
for (const f of files) {
  const bytes = readFileSync(path.join(dir, f));
  const rows: string[] = [];
  let best: any;
  for (let i = 0; i < reps + 1; i++) {
    for (const k of Object.keys(stats)) delete stats[k];
    const { analysis, timings } = await analyzeImage(models, new Uint8Array(bytes));
    if (i === 0) continue; // warm
    const row = { ...timings, stats: JSON.parse(JSON.stringify(stats)), faces: analysis.faces.map((x) => `${Math.round(x.box.width)}px c${x.confidence.toFixed(2)}`) };
    if (!best || row.total < best.total) best = row;
  }
  const r = (x: number) => Math.round(x);
  const s = Object.entries(best.stats as Record<string, { n: number; ms: number }>).map(([k, v]) => `${k} ${v.n}x ${r(v.ms)}`).join(', ');
  console.log(`${f.padEnd(40)} decode ${r(best.decode)} detect ${r(best.detect)} faces ${r(best.faces)} total ${r(best.total)} | ${s} | ${best.faces.join('; ')}`);
}
