// `npm run build:web` (and `prepare`, so `npm install`/`npm ci` build the app): the web app
// into apps/web/dist with Vite, then its size against the budget. Where the sources or the
// build tools are absent (the first `npm ci` layer of docker/Dockerfile, before the sources
// are copied; an install without devDependencies) it says so and does nothing.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const config = join(root, 'apps', 'web', 'vite.config.mjs');
let vite;
try {
  vite = join(require.resolve('vite/package.json', { paths: [root] }), '..', 'bin', 'vite.js');
} catch {
  vite = undefined;
}
if (!existsSync(config) || !vite) {
  process.stdout.write(`web: not built (${!vite ? 'vite is not installed' : 'no apps/web sources'})\n`);
  process.exit(0);
}
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
const status =
  run([vite, 'build', '--config', config, '--logLevel', 'warn']) || run([join(__dirname, 'web-size.js')]);
process.exit(status);
