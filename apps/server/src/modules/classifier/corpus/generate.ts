/**
 * Writes `generated.jsonl` from the template families (deterministic: same seed, same file).
 * Run through `npm run train:classifier`, or alone: `node bin/run-ts.js src/modules/classifier/corpus/generate.ts`.
 */
import { writeFileSync } from 'node:fs';
import { GENERATED_CORPUS_PATH } from './corpus.ts';
import { generateCorpus } from './generator.ts';

const records = generateCorpus();
writeFileSync(GENERATED_CORPUS_PATH, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log(JSON.stringify({ wrote: GENERATED_CORPUS_PATH, records: records.length }));
