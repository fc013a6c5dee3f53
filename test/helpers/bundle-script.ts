// A TypeScript snippet that imports the project's sources, bundled by esbuild into one .mjs a child
// process can run (tests that kill or signal a real writer).
import { join } from 'node:path';
import { build } from 'esbuild';

export async function bundleScript(dir: string, name: string, contents: string): Promise<string> {
  const outfile = join(dir, name);
  await build({ stdin: { contents, resolveDir: dir, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'silent' });
  return outfile;
}

/** The absolute import specifier of a file under src/, for a bundled snippet. */
export const srcModule = (path: string): string => JSON.stringify(join(process.cwd(), 'src', path));
