// After `tsc -p tsconfig.build.json`: what the compiled ledger reads beside its modules —
// the thread entry files (plain JS) and the region directory's data with its licence.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

function walk(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(full, found);
    } else found.push(full);
  }
  return found;
}

let copied = 0;
for (const top of ['apps', 'libs']) {
  for (const file of walk(path.join(root, top))) {
    const relative = path.relative(root, file);
    const threadEntry = file.endsWith('.worker.js');
    const regionData = relative.startsWith(path.join('libs', 'ledger', 'src', 'regions', 'data') + path.sep);
    if (!threadEntry && !regionData) continue;
    const target = path.join(dist, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
    copied += 1;
  }
}
// The built web app (npm run build:web), where the compiled API looks for it.
const web = path.join(root, 'apps', 'web', 'dist');
if (fs.existsSync(web)) {
  fs.cpSync(web, path.join(dist, 'apps', 'web', 'dist'), { recursive: true });
  copied += walk(web).length;
}
process.stdout.write(`build: ${copied} assets copied into dist/\n`);
