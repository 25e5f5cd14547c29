// Prints the size of the web app's shipped JavaScript, gzipped, and fails the build beyond the
// budget (300 KB): the app must stay quick on an office network and on phones. Writes the
// gzip copies the API sends to browsers that accept them.
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const BUDGET = 300 * 1024;
const dir = join(__dirname, '..', 'apps', 'web', 'dist', 'assets');
const sources = readdirSync(dir).filter((name) => name.endsWith('.js') || name.endsWith('.css'));
let total = 0;
let scripts = 0;
for (const name of sources) {
  const gzipped = gzipSync(readFileSync(join(dir, name)), { level: 9 });
  writeFileSync(join(dir, `${name}.gz`), gzipped);
  if (name.endsWith('.js')) {
    total += gzipped.length;
    scripts += 1;
  }
}
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
process.stdout.write(
  `web: shipped JavaScript ${kb(total)} gzipped in ${scripts} file(s) (budget ${kb(BUDGET)})\n`,
);
if (total > BUDGET) {
  process.stderr.write('web: the shipped JavaScript is over its budget\n');
  process.exit(1);
}
