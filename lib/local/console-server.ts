import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONSOLE_CONFIG_FILE, type ConsoleRuntimeConfig } from '../build/console-bundle.ts';
import { consoleSecurityHeaders } from '../console-headers.ts';

/**
 * LOCAL ONLY: serves the built console (lib/build/console-bundle.ts) as CloudFront does in AWS: the
 * hashed files with a long cache, `/config.json` with the local runtime's endpoints, every other path
 * answered with index.html (client-side routing), and the same security headers as the distribution's
 * response-headers policy (lib/console-headers.ts).
 */
export interface ConsoleServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
};

export const startConsoleServer = async (options: {
  port: number;
  dir: string;
  config: ConsoleRuntimeConfig;
  host?: string;
}): Promise<ConsoleServer> => {
  const headers = consoleSecurityHeaders({
    api: new URL(options.config.apiUrl).origin,
    auth: new URL(options.config.authUrl).origin,
  });
  const configJson = JSON.stringify(options.config);
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const send = (status: number, type: string, body: Buffer | string, cache: string) => {
        const bytes = typeof body === 'string' ? Buffer.from(body) : body;
        const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && bytes.length > 1024;
        res.writeHead(status, {
          ...headers,
          'Content-Type': type,
          'Cache-Control': cache,
          ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}),
        });
        res.end(req.method === 'HEAD' ? undefined : gzip ? gzipSync(bytes) : bytes);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      if (url.pathname === `/${CONSOLE_CONFIG_FILE}`) {
        send(200, TYPES['.json']!, configJson, 'no-store');
        return;
      }
      const name = url.pathname.slice(1);
      // Only plain file names of the bundle; anything else is a page of the app.
      if (/^[A-Za-z0-9._-]+\.(js|css|map)$/.test(name)) {
        const content = await readFile(join(options.dir, name)).catch(() => undefined);
        if (content) {
          send(200, TYPES[extname(name)]!, content, 'public, max-age=31536000, immutable');
          return;
        }
        send(404, 'text/plain; charset=utf-8', 'Not found', 'no-store');
        return;
      }
      send(200, TYPES['.html']!, await readFile(join(options.dir, 'index.html')), 'no-cache');
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
