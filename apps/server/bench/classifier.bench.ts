/**
 * `npm run bench:classifier`: per-ticket classification cost with the committed model, as JSON.
 * Texts are the corpus (short to three sentences), cycled; each call is timed on its own (hrtime), after a
 * warm-up so the JIT has settled. `predictUs` is the model alone; `withEntitiesUs` adds entity extraction.
 * Wall-clock percentiles include time the process spends descheduled; `cpuMeanUs` does not.
 */
import { statSync } from 'node:fs';
import { classifyText, DEFAULT_MODEL_PATH, loadModel } from '../src/modules/classifier/classifier.ts';
import { loadCorpus } from '../src/modules/classifier/corpus/corpus.ts';
import { predict } from '../src/modules/classifier/model.ts';

const ITERATIONS = 20_000;
const loadStarted = process.hrtime.bigint();
const model = loadModel();
const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;
const texts = loadCorpus().map((r) => r.text);

function measure(run: (text: string) => unknown) {
  for (let i = 0; i < 2_000; i++) run(texts[i % texts.length]!);
  const samples = new Float64Array(ITERATIONS);
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) {
    const text = texts[i % texts.length]!;
    const started = process.hrtime.bigint();
    run(text);
    samples[i] = Number(process.hrtime.bigint() - started) / 1e3;
  }
  const cpu = process.cpuUsage(cpuBefore);
  samples.sort();
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return {
    meanUs: round(mean),
    p50Us: round(at(0.5)),
    p99Us: round(at(0.99)),
    maxUs: round(at(1)),
    // CPU time is what the call costs; wall-clock tails on a shared machine are mostly waiting for a core.
    cpuMeanUs: round((cpu.user + cpu.system) / ITERATIONS),
  };
}

const round = (value: number) => Number(value.toFixed(1));

console.log(
  JSON.stringify(
    {
      iterations: ITERATIONS,
      meanTextChars: round(texts.reduce((a, t) => a + t.length, 0) / texts.length),
      predictUs: measure((text) => predict(model, text)),
      withEntitiesUs: measure((text) => classifyText(model, text)),
      modelFileBytes: statSync(DEFAULT_MODEL_PATH).size,
      modelBuckets: model.rows.size,
      modelLoadMs: round(loadMs),
      node: process.version,
    },
    null,
    2,
  ),
);
