#!/usr/bin/env node
// The `lab` bin: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/lab.ts');
process.exitCode = await main(process.argv.slice(2));
