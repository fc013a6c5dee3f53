// Loaded with --require by bench/run.mjs: reports the process's peak memory and CPU time on stderr at exit.
process.on('exit', () => {
  const u = process.resourceUsage();
  require('fs').writeSync(2, `\nmax-rss-kb=${u.maxRSS} cpu-us=${u.userCPUTime + u.systemCPUTime}\n`);
});
