import { allOutputWritten } from './core/io.js';
import { main } from './program.js';

// Not `await`: dist/cli.cjs is CommonJS (so bin/ can run it from a V8 code cache), which has no top-level await.
// Once every byte of output is written, exit at once: Node's own teardown costs a few ms more.
void main(process.argv).then(() => {
  if (allOutputWritten()) process.exit();
});
