/**
 * `npm run train:classifier`: regenerates the template corpus, then trains the shipped model on the whole
 * corpus (train and held-out splits: the evaluation retrains on the train split alone, see evaluate.ts).
 *
 * The softmax temperature is fitted on families held aside from a first model (see trainCalibrated).
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_MODEL_PATH } from '../classifier.ts';
import { loadCorpus, trainCalibrated } from '../corpus/corpus.ts';
import { DEFAULT_TRAIN_OPTIONS } from '../train.ts';

const corpus = loadCorpus();
const started = performance.now();
const model = trainCalibrated(corpus, DEFAULT_TRAIN_OPTIONS);
const json = JSON.stringify(model);
writeFileSync(DEFAULT_MODEL_PATH, json + '\n');
console.log(
  JSON.stringify({
    wrote: DEFAULT_MODEL_PATH,
    examples: corpus.length,
    temperature: model.temperature,
    bytes: json.length + 1,
    trainingSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  }),
);
