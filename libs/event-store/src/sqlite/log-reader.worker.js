// The log reader thread (see log-reader.ts). Plain JS: it needs nothing but better-sqlite3.
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 10000');
const statements = new Map();

parentPort.on('message', ({ sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql).raw(true)));
    // Rows as arrays of column values: the cheapest shape to copy between threads.
    parentPort.postMessage({ rows: statement.all(...params) });
  } catch (error) {
    parentPort.postMessage({ error: error.message });
  }
});
