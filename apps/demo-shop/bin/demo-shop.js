#!/usr/bin/env node
// The `demo-shop` command: runs src/main.ts through tsx's loader (no build step), like apps/server.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
