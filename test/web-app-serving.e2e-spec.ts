import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { startLedgerApp, type LedgerApp } from './support/ledger-app';

const ASSETS = join(__dirname, '../apps/web/dist/assets');

describeIfAvailable(
  'Web app serving (SQLite): the built app at / and its assets',
  existsSync(join(ASSETS, '..', 'index.html')) ? undefined : 'the web app is not built (npm run build:web)',
  () => {
    let ledger: LedgerApp;
    beforeAll(async () => {
      ledger = await startLedgerApp('sqlite');
    });
    afterAll(async () => ledger?.close());

    it("serves the page at / and at the app's own paths, with a strict Content-Security-Policy", async () => {
      for (const path of ['/', '/beranda', '/wilayah/1603', '/program/abc', '/unggah/0123']) {
        const response = await ledger.get(path);
        expect({ path, status: response.status }).toEqual({ path, status: 200 });
        expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(response.text).toContain('<div id="app">');
        expect(response.headers['content-security-policy']).toContain("script-src 'self'");
        expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      }
    });

    it('keeps unknown paths and API paths as 404 problems', async () => {
      for (const path of ['/no/such/route', '/api/nothing', '/assets/..%2Fpackage.json', '/assets/x.exe']) {
        const response = await ledger.get(path);
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
      }
    });

    it('sends the gzip copy of a script to a browser that accepts it, the script itself otherwise', async () => {
      const script = readdirSync(ASSETS).find((name) => name.endsWith('.js'))!;
      const plain = await ledger.get(`/assets/${script}`);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['cache-control']).toContain('immutable');
      const response = await ledger.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'GET',
          url: `/assets/${script}`,
          headers: { 'accept-encoding': 'gzip, deflate, br' },
        });
      expect(response.headers['content-encoding']).toBe('gzip');
      expect(response.rawPayload.length).toBeLessThan(plain.text.length / 2);
      expect(gunzipSync(response.rawPayload).toString()).toBe(plain.text);
    });
  },
);
