#!/usr/bin/env node
// The `vendure-fixture` command: runs src/main.ts through tsx's loader (no build step), like the demo shop.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
