import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withAppendHook } from './append-hook';
import { WrongExpectedVersionError } from './errors';
import type { AppendResult, EventStore, StreamAppend } from './port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

const append = (streamId: string, expected: StreamAppend['expected']): StreamAppend[] => [
  {
    streamId,
    expected,
    events: [
      {
        type: 'Noted',
        data: {},
        metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
      },
    ],
  },
];

describe('withAppendHook', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let store: EventStore;
  let seen: AppendResult[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-hook-'));
    raw = new SqliteEventStore(join(dir, 'ledger.db'));
    seen = [];
    store = withAppendHook(raw, (result) => seen.push(result));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('calls the hook once after each committed append, with its result', async () => {
    const first = await store.append(append('note-1', 'no_stream'));
    const second = await store.append(append('note-1', 0));
    expect(seen).toEqual([first, second]);
    expect(await store.readStream('note-1')).toHaveLength(2);
  });

  it('does not call it for a refused append', async () => {
    await store.append(append('note-1', 'no_stream'));
    await expect(store.append(append('note-1', 'no_stream'))).rejects.toThrow(WrongExpectedVersionError);
    expect(seen).toHaveLength(1);
  });

  it('leaves the other methods to the store', async () => {
    const { position } = await raw.append(append('note-2', 'no_stream'));
    expect(store.kind).toBe('sqlite');
    expect(await store.headPosition()).toBe(position);
    expect(seen).toEqual([]);
  });
});
