import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverRoot } from '../../lib/server-root.ts';
import type { Category } from './categories.ts';
import { extractEntities, type Entities } from './entities.ts';
import { decodeModel, predict, predictCategory, type Model, type ModelFile } from './model.ts';

/** The committed model, trained by `npm run train:classifier`. */
export const DEFAULT_MODEL_PATH = join(serverRoot(), 'src/modules/classifier/model/zh-en.model.json');

export function loadModel(path = DEFAULT_MODEL_PATH): Model {
  return decodeModel(JSON.parse(readFileSync(path, 'utf8')) as ModelFile);
}

let defaultModel: Model | undefined;

/** The committed model, read from disk once per process (buildApp calls this at start). */
export function defaultClassifierModel(): Model {
  defaultModel ??= loadModel();
  return defaultModel;
}

export interface Classification {
  category: Category;
  confidence: number;
  explanation: string[];
  entities: Entities;
}

/** Everything the classify route shows: category, confidence, explanation and entities. */
export function classifyText(model: Model, text: string): Classification {
  const { category, confidence, explanation } = predict(model, text);
  return { category, confidence, explanation, entities: extractEntities(text) };
}

/**
 * For ticket intake: the category and its confidence (0–1) for a new ticket's text (subject and body joined).
 * Uses the committed model; costs a few tens of microseconds.
 */
export function classifyTicket(text: string): { category: Category; confidence: number } {
  return predictCategory(defaultClassifierModel(), text);
}
