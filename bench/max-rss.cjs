// Loaded with --require by bench/run.mjs: reports the process's peak memory on stderr at exit.
process.on('exit', () => require('fs').writeSync(2, `\nmax-rss-kb=${process.resourceUsage().maxRSS}\n`));
