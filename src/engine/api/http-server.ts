/**
 * The studio's API over HTTP for `dgs serve`: the built renderer as static files, POST /api/<channel>
 * for requests (wire JSON, typed arrays included) and GET /api/events as server-sent events. Every
 * request needs the access token: the printed URL carries it once (`/?token=…`), which sets an HttpOnly,
 * SameSite=Strict cookie and redirects to `/`; tools may send `Authorization: Bearer <token>` instead.
 * Without it the answer is 401. Only requests whose Host names this server exactly (loopback, or a name
 * given with --allow-host, with the port) are served, and one with an Origin only from the studio's own
 * page (allowed-hosts.ts). API posts must carry `X-DGS-Request: 1`, which no cross-site form can send. A
 * refusal for something the project does not hold (code 'not-found') is a 404 with its sentence.
 */
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ApiEvent } from '../../shared/api';
import { CSP } from '../../shared/csp';
import { fromWire, toWire } from '../../shared/wire';
import { dispatch } from './dispatch';
import type { Handlers } from './handlers';
import { contentType, resolveUnder } from './static-files';
import { allowedOrigin, hostPolicy, sameOrigin, type HostPolicy } from './allowed-hosts';
import type { Disposable } from '../../shared/lifecycle';

const COOKIE = 'dgs_token';
const MAX_BODY = 1024 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;

export interface StudioServerOptions {
  host: string;
  port: number;
  token: string;
  rendererDir: string;
  /** Host names besides loopback that requests may carry (--allow-host), e.g. for --host 0.0.0.0. */
  allowHosts?: readonly string[];
  handlers: Handlers;
  onEvent(listener: (e: ApiEvent) => void): Disposable;
}

export interface StudioServer {
  url: string;
  /** The URL to open: it carries the token once. */
  urlWithToken: string;
  dispose(): Promise<void>;
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

function securityHeaders(res: http.ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string | Uint8Array,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStudioServer(opts: StudioServerOptions): Promise<StudioServer> {
  const sockets = new Set<Socket>();
  /** Open event streams, each with what ends it (its listener and keepalive go with it). */
  const streams = new Map<http.ServerResponse, () => void>();
  let policy: HostPolicy | null = null;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      console.error(e);
      if (!res.headersSent) send(res, 500, 'Something went wrong inside the studio server; please report this.');
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    securityHeaders(res);
    const own = policy && allowedOrigin(policy, req.headers.host);
    if (!own) return send(res, 421, 'This studio answers only on the address it printed.');
    if (!sameOrigin(req.headers.origin, own))
      return send(res, 403, 'This studio answers only its own page, not pages of other sites.');
    const url = new URL(req.url ?? '/', 'http://studio.invalid');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const fromQuery = url.searchParams.get('token') ?? undefined;
    if (req.method === 'GET' && url.pathname === '/' && sameToken(fromQuery, opts.token)) {
      res.writeHead(302, {
        'Set-Cookie': `${COOKIE}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
        'Cache-Control': 'no-store',
      });
      return void res.end();
    }
    if (!sameToken(bearer, opts.token) && !sameToken(cookieToken(req.headers.cookie), opts.token)) {
      return send(res, 401, 'This studio needs its access token: open the URL that `dgs serve` printed.');
    }
    if (url.pathname === '/api/events' && req.method === 'GET') return events(req, res);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'API requests are POSTs.');
      if (req.headers['x-dgs-request'] !== '1') return send(res, 403, 'API requests come from the studio page only.');
      const body = await readBody(req);
      if (body === null) return send(res, 413, 'That request is too large.');
      let payload: unknown;
      try {
        payload = body ? fromWire(body) : {};
      } catch {
        return send(
          res,
          400,
          toWire({ ok: false, message: 'The request was not valid JSON; please report this.' }),
          'application/json',
        );
      }
      const result = await dispatch(opts.handlers, url.pathname.slice('/api/'.length), payload);
      const status = !result.ok && result.code === 'not-found' ? 404 : 200;
      return send(res, status, toWire(result), 'application/json');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Only GET is served here.');
    const file = resolveUnder(opts.rendererDir, url.pathname);
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) return send(res, 404, 'Not found.');
    res.writeHead(200, {
      'Content-Type': contentType(file),
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file).pipe(res);
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    // A stream the server ended (on dispose) may still hear the host's last events before its request
    // closes: writing then would throw an unhandled 'write after end'.
    const write = (text: string) => {
      if (!res.writableEnded && !res.destroyed) res.write(text);
    };
    const stop = opts.onEvent((e) => write(`data: ${toWire(e)}\n\n`));
    const keepalive = setInterval(() => write(': keepalive\n\n'), KEEPALIVE_MS);
    const end = () => {
      clearInterval(keepalive);
      stop.dispose();
      streams.delete(res);
    };
    streams.set(res, end);
    req.on('close', end);
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  policy = hostPolicy(opts.allowHosts ?? [], port);
  const shown = opts.allowHosts?.length
    ? opts.allowHosts[0]
    : opts.host.includes(':')
      ? `[${opts.host}]`
      : opts.host === '0.0.0.0'
        ? '127.0.0.1'
        : opts.host;
  const url = `http://${shown}:${port}/`;
  return {
    url,
    urlWithToken: `${url}?token=${opts.token}`,
    async dispose() {
      for (const [r, end] of [...streams]) {
        end();
        r.end();
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
