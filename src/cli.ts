import { main } from './program.js';

// Not `await`: dist/cli.cjs is CommonJS (so bin/ can run it from a V8 code cache), which has no top-level await.
void main(process.argv);
