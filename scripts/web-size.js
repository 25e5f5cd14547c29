// Prints the size of the web app's shipped JavaScript, gzipped, and fails the build beyond the
// budget (300 KB): the app must stay quick on an office network and on phones.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const BUDGET = 300 * 1024;
const dir = join(__dirname, '..', 'apps', 'web', 'dist', 'assets');
const files = readdirSync(dir).filter((name) => name.endsWith('.js'));
const total = files.reduce(
  (sum, name) => sum + gzipSync(readFileSync(join(dir, name)), { level: 9 }).length,
  0,
);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
process.stdout.write(
  `web: shipped JavaScript ${kb(total)} gzipped in ${files.length} file(s) (budget ${kb(BUDGET)})\n`,
);
if (total > BUDGET) {
  process.stderr.write('web: the shipped JavaScript is over its budget\n');
  process.exit(1);
}
