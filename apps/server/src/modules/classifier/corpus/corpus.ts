import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverRoot } from '../../../lib/server-root.ts';
import { isCategory } from '../categories.ts';
import type { ModelFile } from '../model.ts';
import { trainModel, type TrainOptions } from '../train.ts';
import type { CorpusRecord } from './generator.ts';
import { FAMILIES } from './templates.ts';
import { normalize } from '../features.ts';

const CORPUS_DIR = join(serverRoot(), 'src/modules/classifier/corpus');
export const GENERATED_CORPUS_PATH = join(CORPUS_DIR, 'generated.jsonl');
export const HANDWRITTEN_CORPUS_PATH = join(CORPUS_DIR, 'handwritten.tsv');
/** Written after the template families were frozen; never used to shape them (see its header). */
export const FRESH_HANDWRITTEN_CORPUS_PATH = join(CORPUS_DIR, 'handwritten-fresh.tsv');

/**
 * Reads the hand-written examples: `category<TAB>text` per line; blank lines and `#` comments are skipped.
 * They are written free-form, not from templates, so they test whether the model generalises.
 */
export function parseHandwritten(tsv: string, prefix = 'hand'): CorpusRecord[] {
  const records: CorpusRecord[] = [];
  tsv.split('\n').forEach((line, index) => {
    if (!line.trim() || line.startsWith('#')) return;
    const tab = line.indexOf('\t');
    const category = line.slice(0, tab);
    const text = line.slice(tab + 1).trim();
    if (tab < 0 || !isCategory(category) || !text) throw new Error(`${prefix} line ${index + 1}: "${line}"`);
    const id = `${prefix}/${index + 1}`;
    records.push({ id, category, family: id, source: 'hand', text });
  });
  return records;
}

export function loadCorpus(): CorpusRecord[] {
  const generated = readFileSync(GENERATED_CORPUS_PATH, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CorpusRecord);
  return [
    ...generated,
    ...parseHandwritten(readFileSync(HANDWRITTEN_CORPUS_PATH, 'utf8')),
    ...parseHandwritten(readFileSync(FRESH_HANDWRITTEN_CORPUS_PATH, 'utf8'), 'fresh'),
  ];
}

/**
 * Two held-out protocols; neither ever tests on a re-filling of a template it trained on.
 *
 * - `template` (the reported figure, `npm run eval:classifier`): in every family the templates at index 3, 7, …
 *   are held out. A generated sentence is test data when all its templates are held out, and is dropped when
 *   it mixes held-out and trained templates. A trained template that is a near-copy of a held-out sibling
 *   (one's text without slots and punctuation contains the other's, as `什么时候{ship}` and
 *   `{item}什么时候{ship}`) is dropped too, so a test sentence is a phrasing the model never saw filled.
 * - `family` (stricter, reported beside it): every fourth whole family of a category is held out, so a test
 *   sentence's sentence frame is unseen as a whole (it still shares intent vocabulary with other families).
 *
 * In both, every hand-written example is test data, and a training sentence equal (after normalisation) to a
 * test sentence, or containing a hand-written one, is dropped, so generic short lines ("ok", "hi there")
 * cannot leak. `handwritten: 'half'` instead trains on the odd-numbered hand-written lines (a second view:
 * how much a few real examples help).
 */
export type Protocol = 'template' | 'family';
export type Split = 'train' | 'test' | 'excluded';

const HELD_OUT_TEMPLATE_EVERY = 4;

const HELD_OUT_FAMILIES = new Set(
  FAMILIES.filter((family) => {
    const siblings = FAMILIES.filter((f) => f.category === family.category);
    return siblings.indexOf(family) % 4 === 3;
  }).map((f) => f.id),
);

const isHeldOutTemplate = (index: number) => index % HELD_OUT_TEMPLATE_EVERY === HELD_OUT_TEMPLATE_EVERY - 1;
const skeleton = (template: string) =>
  template
    .replace(/\{\w+\}/g, '')
    .replace(/[^\p{L}\p{N}]/gu, '')
    .toLowerCase();

// family id → indices of trained templates that are near-copies of a held-out sibling.
const NEAR_COPIES = new Map(
  FAMILIES.map((family) => {
    const heldOut = family.templates.filter((_, i) => isHeldOutTemplate(i)).map(skeleton);
    const copies = new Set<number>();
    family.templates.forEach((template, i) => {
      if (isHeldOutTemplate(i)) return;
      const own = skeleton(template);
      if (heldOut.some((h) => h.includes(own) || own.includes(h))) copies.add(i);
    });
    return [family.id, copies];
  }),
);

function splitOfOne(record: CorpusRecord, protocol: Protocol, handwritten: 'test' | 'half'): Split {
  if (record.source === 'hand') {
    if (handwritten === 'test') return 'test';
    return Number(record.id.split('/')[1]) % 2 === 0 ? 'test' : 'train';
  }
  if (protocol === 'family') return HELD_OUT_FAMILIES.has(record.family) ? 'test' : 'train';
  const templates = record.templates ?? [];
  const heldOut = templates.filter(isHeldOutTemplate).length;
  if (heldOut === templates.length && heldOut > 0) return 'test';
  if (heldOut > 0) return 'excluded';
  return templates.some((i) => NEAR_COPIES.get(record.family)?.has(i)) ? 'excluded' : 'train';
}

const textKey = (text: string) => normalize(text).replace(/[^\p{L}\p{N}]/gu, '');

/** The split of every record (same order), with the duplicate guard described above. */
export function splitCorpus(
  records: readonly CorpusRecord[],
  protocol: Protocol = 'template',
  handwritten: 'test' | 'half' = 'test',
): Split[] {
  const splits = records.map((r) => splitOfOne(r, protocol, handwritten));
  const testKeys = new Set(records.filter((_, i) => splits[i] === 'test').map((r) => textKey(r.text)));
  const handKeys = records
    .filter((r, i) => splits[i] === 'test' && r.source === 'hand')
    .map((r) => textKey(r.text))
    .filter((k) => k.length >= 4);
  return splits.map((split, i) => {
    if (split !== 'train') return split;
    const key = textKey(records[i]!.text);
    return testKeys.has(key) || handKeys.some((h) => key.includes(h)) ? 'excluded' : 'train';
  });
}

/**
 * Trains on `records` with a temperature fitted honestly: a first model trained without every fifth family
 * (by its hash, so hand-written lines spread too) is calibrated on those families, then the final model is
 * trained on all of `records` and given that temperature.
 */
export function trainCalibrated(records: readonly CorpusRecord[], options: TrainOptions): ModelFile {
  const isCalibration = (r: CorpusRecord) => fnv(r.family) % 5 === 0;
  const { temperature } = trainModel(
    records.filter((r) => !isCalibration(r)),
    { ...options, calibration: records.filter(isCalibration) },
  );
  return { ...trainModel(records, options), temperature };
}

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
