// Loaded with --import by bench/run.mjs: reports the process's peak memory on stderr at exit.
process.on('exit', () => process.stderr.write(`\nmax-rss-kb=${process.resourceUsage().maxRSS}\n`));
