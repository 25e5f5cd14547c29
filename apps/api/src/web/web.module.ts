import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/**
 * Serves the built web app (apps/web/dist, written by `npm run build:web`, which `npm install`
 * runs) at `/`: the files under /assets by name, and index.html for every other GET the API
 * does not answer, so the app's own paths (/program/…, /wilayah/…) can be reloaded and shared.
 * Nothing comes from a CDN: the app works on an office network without the internet.
 */
export const WEB_DIR = process.env.LEDGER_WEB_DIR?.trim() || resolve(__dirname, '../../../web/dist');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/** The page may load only its own scripts, styles and API; no frame may hold it. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The screens of the app (apps/web/src/routes.ts): reloading or sharing one serves the app. */
export const APP_PATHS = [
  '/masuk',
  '/beranda',
  '/wilayah',
  '/program',
  '/unggah',
  '/peserta',
  '/operasi',
  '/akun',
  '/iuran',
  '/klaim',
  '/audit',
  '/kas',
  '/terlarang',
];

@Module({})
export class WebModule implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const index = join(WEB_DIR, 'index.html');
    // Read once: it is small and changes only with a new build (a restart).
    const page = existsSync(index) ? readFileSync(index) : undefined;

    const sendPage = (reply: FastifyReply) => {
      void reply
        .header('Content-Security-Policy', CSP)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Referrer-Policy', 'no-referrer')
        .header('Cache-Control', 'no-cache');
      if (!page) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('Aplikasi web belum dibangun: jalankan `npm run build:web` (npm install menjalankannya).');
      }
      return reply.type('text/html; charset=utf-8').send(page);
    };

    fastify.get('/assets/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
      const { file } = request.params;
      const type = TYPES[extname(file)];
      if (!/^[\w.-]+$/.test(file) || file.startsWith('.') || !type) return reply.code(404).send();
      try {
        const path = join(WEB_DIR, 'assets', file);
        // The build writes a gzip copy of each script and stylesheet: a third of the bytes.
        const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
        const body = gzip ? await readFile(`${path}.gz`).catch(() => undefined) : undefined;
        void reply.header('Vary', 'Accept-Encoding');
        if (body) void reply.header('Content-Encoding', 'gzip');
        // Built names carry a hash of their content: they can be kept for a year.
        return reply
          .type(type)
          .header('Cache-Control', 'public, max-age=31536000, immutable')
          .header('X-Content-Type-Options', 'nosniff')
          .send(body ?? (await readFile(path)));
      } catch {
        return reply.code(404).send();
      }
    });
    fastify.get('/', (_request, reply) => sendPage(reply));
    // The app's own paths only: any other unknown path stays the API's 404 problem.
    for (const path of APP_PATHS) {
      fastify.get(path, (_request, reply) => sendPage(reply));
      fastify.get(`${path}/*`, (_request, reply) => sendPage(reply));
    }
  }
}
