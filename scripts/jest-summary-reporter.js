// Closes every Jest run with one plain line of counts, and repeats the suites that could
// not run (no server reachable) so they are never mistaken for a pass.
const fs = require('node:fs');
const path = require('node:path');

const skipLog = path.join(__dirname, '..', 'tmp', 'skipped-suites.log');

class SummaryReporter {
  onRunStart() {
    fs.rmSync(skipLog, { force: true });
  }

  onRunComplete(_contexts, results) {
    let notRun = [];
    try {
      notRun = [...new Set(fs.readFileSync(skipLog, 'utf8').split('\n').filter(Boolean))];
    } catch {
      // nothing was skipped
    }
    for (const line of notRun) process.stdout.write(`${line}\n`);
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped } = results;
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

module.exports = SummaryReporter;
