export * from './types.ts';
export * from './adapter.ts';
export * from './errors.ts';
export * from './money.ts';
