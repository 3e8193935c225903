#!/usr/bin/env node
// The `peakdesk` command. PeakDesk runs its TypeScript directly through tsx's loader, so there is no build
// step between a checkout and a running server.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
