// The log reader thread (see log-reader.ts). Plain JS: it needs nothing but better-sqlite3.
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 10000');
const statements = new Map();
const quote = JSON.stringify;

parentPort.on('message', ({ sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql).raw(true)));
    // Columns in the order of the store's page query (pageQuery); data and metadata are stored as JSON text already.
    const events = statement.all(...params).map(
      ([position, streamId, revision, type, data, metadata, recordedAt]) =>
        `{"streamId":${quote(streamId)},"revision":${revision},"position":${position},"type":${quote(type)},` +
        `"data":${data},"metadata":${metadata},"recordedAt":${quote(recordedAt)}}`,
    );
    parentPort.postMessage({ json: `[${events.join(',')}]` });
  } catch (error) {
    parentPort.postMessage({ error: error.message });
  }
});
