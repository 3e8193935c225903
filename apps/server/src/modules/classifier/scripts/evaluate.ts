/**
 * `npm run eval:classifier`: trains a fresh model on the train split only (same code and options as the
 * shipped model) and prints JSON metrics on the held-out split: whole template families never trained on,
 * plus every hand-written example. A second figure trains on half of the hand-written lines as well.
 */
import { loadCorpus, splitOf, trainCalibrated } from '../corpus/corpus.ts';
import type { CorpusRecord } from '../corpus/generator.ts';
import { evaluate } from '../evaluation.ts';
import { decodeModel, predict } from '../model.ts';
import { DEFAULT_TRAIN_OPTIONS } from '../train.ts';

const corpus = loadCorpus();

function run(handwritten: 'test' | 'half') {
  const train = corpus.filter((r) => splitOf(r, handwritten) === 'train');
  const test = corpus.filter((r) => splitOf(r, handwritten) === 'test');
  // Calibrated on a slice of the training families only: the test split stays unseen.
  const model = decodeModel(trainCalibrated(train, DEFAULT_TRAIN_OPTIONS));
  const score = (records: CorpusRecord[]) =>
    evaluate(
      records.map((r) => {
        const p = predict(model, r.text);
        return { actual: r.category, predicted: p.category, confidence: p.confidence };
      }),
    );
  return { train: train.length, test: test.length, model, score };
}

const primary = run('test');
const all = primary.score(corpus.filter((r) => splitOf(r) === 'test'));
const hand = primary.score(corpus.filter((r) => r.source === 'hand'));
const families = primary.score(corpus.filter((r) => r.source === 'template' && splitOf(r) === 'test'));
const half = run('half');
const halfScore = half.score(corpus.filter((r) => splitOf(r, 'half') === 'test'));

const mistakes = corpus
  .filter((r) => r.source === 'hand')
  .map((r) => ({ r, p: predict(primary.model, r.text) }))
  .filter(({ r, p }) => p.category !== r.category)
  .slice(0, 25)
  .map(({ r, p }) => `${r.category} → ${p.category} (${p.confidence.toFixed(2)}): ${r.text}`);

console.log(
  JSON.stringify(
    {
      corpus: {
        total: corpus.length,
        templates: corpus.filter((r) => r.source === 'template').length,
        handwritten: corpus.filter((r) => r.source === 'hand').length,
        train: primary.train,
        heldOut: primary.test,
      },
      temperature: primary.model.temperature,
      heldOut: all,
      heldOutHandwrittenOnly: { accuracy: hand.accuracy, macroF1: hand.macroF1, examples: hand.examples },
      heldOutTemplateFamiliesOnly: {
        accuracy: families.accuracy,
        macroF1: families.macroF1,
        examples: families.examples,
      },
      withHalfOfHandwrittenInTraining: {
        train: half.train,
        test: half.test,
        accuracy: halfScore.accuracy,
        macroF1: halfScore.macroF1,
      },
      sampleHandwrittenMistakes: mistakes,
    },
    null,
    2,
  ),
);
