/**
 * Who appears in the liveness benchmark, and in which half. The people of ../shared/faces are
 * split once, by a rule fixed before any figure was seen: in each folder, people sorted by name,
 * every other one goes to the TUNING half (the constants of the checks were chosen looking at these
 * only) and the rest to the REPORT half (the figures BENCHMARKS.md records). A person's photos and
 * card are all in one half, so no one is judged by constants chosen on their own face.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export type Half = 'tuning' | 'report';

/** A person: their photos (paths under ../shared/faces) and their ID card, if they have one. */
export interface Person {
  name: string;
  half: Half;
  photos: string[];
  card?: string;
}

/** Everyone, with their half. `root` is ../shared/faces. */
export function cast(root: string): Person[] {
  const people: Person[] = [];
  const add = (folder: string, names: Map<string, string[]>, cardOf: (name: string) => string | undefined) => {
    [...names.keys()].sort().forEach((name, i) => {
      people.push({ name: `${folder}/${name}`, half: i % 2 === 0 ? 'tuning' : 'report', photos: names.get(name)!.sort(), card: cardOf(name) });
    });
  };
  const cards = new Set(readdirSync(path.join(root, 'cards')).filter((f) => f.endsWith('_card.jpg')));
  const group = (folder: string, pattern: RegExp) => {
    const names = new Map<string, string[]>();
    for (const file of readdirSync(path.join(root, folder))) {
      const match = pattern.exec(file);
      if (match) names.set(match[1], [...(names.get(match[1]) ?? []), `${folder}/${file}`]);
    }
    return names;
  };
  add('lfw', group('lfw', /^([A-Za-z]+)_\d{4}\.jpg$/), () => undefined);
  add('people', group('people', /^([a-z]+)_[a-z]+\d\.png$/), (name) => (cards.has(`bbt_${name}_card.jpg`) ? `cards/bbt_${name}_card.jpg` : undefined));
  add('photos', group('photos', /^([a-z]+)_\d\.(?:jpg|png)$/), (name) => (cards.has(`facerec_${name}_card.jpg`) ? `cards/facerec_${name}_card.jpg` : undefined));
  return people;
}
