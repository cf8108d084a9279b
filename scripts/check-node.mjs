// npm puts node_modules/.bin first on the PATH of every script, and the `node` package puts a
// Node 22 binary there: this check makes sure a script never runs on the machine's older Node.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 22) {
  console.error(
    `Tally needs Node 22 LTS, but this script runs on Node ${process.versions.node}. ` +
      'Run it through npm (npm start, npm test), which uses node_modules/.bin/node from the "node" package, ' +
      'or run npm install first.',
  );
  process.exit(1);
}
