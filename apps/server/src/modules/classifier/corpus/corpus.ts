import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isCategory } from '../categories.ts';
import type { ModelFile } from '../model.ts';
import { trainModel, type TrainOptions } from '../train.ts';
import type { CorpusRecord } from './generator.ts';
import { FAMILIES } from './templates.ts';

export const GENERATED_CORPUS_PATH = fileURLToPath(new URL('./generated.jsonl', import.meta.url));
export const HANDWRITTEN_CORPUS_PATH = fileURLToPath(new URL('./handwritten.tsv', import.meta.url));

/**
 * Reads the hand-written examples: `category<TAB>text` per line; blank lines and `#` comments are skipped.
 * They are written free-form, not from templates, so they test whether the model generalises.
 */
export function parseHandwritten(tsv: string): CorpusRecord[] {
  const records: CorpusRecord[] = [];
  tsv.split('\n').forEach((line, index) => {
    if (!line.trim() || line.startsWith('#')) return;
    const tab = line.indexOf('\t');
    const category = line.slice(0, tab);
    const text = line.slice(tab + 1).trim();
    if (tab < 0 || !isCategory(category) || !text)
      throw new Error(`handwritten.tsv line ${index + 1}: "${line}"`);
    records.push({ id: `hand/${index + 1}`, category, family: `hand/${index + 1}`, source: 'hand', text });
  });
  return records;
}

export function loadCorpus(): CorpusRecord[] {
  const generated = readFileSync(GENERATED_CORPUS_PATH, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CorpusRecord);
  return [...generated, ...parseHandwritten(readFileSync(HANDWRITTEN_CORPUS_PATH, 'utf8'))];
}

// Every fourth template family of each category (by position in templates.ts) is held out whole.
const HELD_OUT_FAMILIES = new Set(
  FAMILIES.filter((family) => {
    const siblings = FAMILIES.filter((f) => f.category === family.category);
    return siblings.indexOf(family) % 4 === 3;
  }).map((f) => f.id),
);

export type Split = 'train' | 'test';

/**
 * The honest held-out split: all hand-written examples plus whole template families are test data, so no
 * test sentence is a sibling of a training sentence. `handwritten: 'half'` instead trains on the odd-numbered
 * hand-written lines and tests on the even ones (a second view: how much a few real examples help).
 */
export function splitOf(record: CorpusRecord, handwritten: 'test' | 'half' = 'test'): Split {
  if (record.source === 'hand') {
    if (handwritten === 'test') return 'test';
    return Number(record.id.slice(5)) % 2 === 0 ? 'test' : 'train';
  }
  return HELD_OUT_FAMILIES.has(record.family) ? 'test' : 'train';
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
