// Preloaded into a measured child process: reports its peak RSS (KiB) on stderr at exit.
import { writeSync } from 'node:fs';
process.on('exit', () => {
  writeSync(2, `\n@@maxrss ${process.resourceUsage().maxRSS}\n`);
});
