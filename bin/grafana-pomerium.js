#!/usr/bin/env node
// Kept tiny: the compile cache (Node 22.8+) must be on before the bundle loads.
import module from 'node:module';
module.enableCompileCache?.();
await import('../dist/cli.js');
