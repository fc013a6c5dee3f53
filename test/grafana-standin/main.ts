// Runs the Grafana stand-in in a process of its own (for the docs' transcripts, whose commands run
// synchronously and would block a stand-in in the same process). Prints its origin on the first
// line of stdout; each line "reset" on stdin puts the seed users back and is answered with "ok".
import { createInterface } from 'node:readline';
import { startGrafanaStandin } from './standin.js';

const grafana = await startGrafanaStandin();
process.stdout.write(`${grafana.origin}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'reset') {
    grafana.reset();
    process.stdout.write('ok\n');
  }
});
process.stdin.on('end', () => void grafana.close().then(() => process.exit(0)));
