import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpApp } from '../types.js';

const web = (file: string) => readFileSync(fileURLToPath(new URL(`../../../../src/web/${file}`, import.meta.url)), 'utf8');

/** The Dial-in Conferencing Settings page (the seed's Communicator Web Access \dialin page) and the leader's panel. */
export async function webRoutes(app: HttpApp): Promise<void> {
  const html = web('dialin.html');
  const script = web('dialin.js');
  const headers = {
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  };
  app.get('/dialin', { schema: { hide: true } }, (_request, reply) => reply.headers(headers).type('text/html; charset=utf-8').send(html));
  app.get('/dialin.js', { schema: { hide: true } }, (_request, reply) =>
    reply.headers(headers).type('text/javascript; charset=utf-8').send(script),
  );

  // The leader's live panel: one page for every conference; the script reads the ID from the path.
  const panel = web('panel.html');
  app.get('/panel/:id', { schema: { hide: true } }, (_request, reply) => reply.headers(headers).type('text/html; charset=utf-8').send(panel));
  // Its script, as ES modules importing each other by relative path: only the files of src/web/panel/.
  const panelModules = new Map(['api', 'dom', 'main', 'roster', 'stream'].map((name) => [`${name}.js`, web(`panel/${name}.js`)]));
  app.get('/panel-modules/:file', { schema: { hide: true } }, (request, reply) => {
    const file = panelModules.get((request.params as { file: string }).file);
    if (file === undefined) return reply.code(404).send({ error: { code: 'not-found', message: 'no such file' } });
    return reply.headers(headers).type('text/javascript; charset=utf-8').send(file);
  });

  // A guest's join link (add audio): the page reads the invitation ID from the path.
  const join = web('join.html');
  const joinScript = web('join.js');
  app.get('/join/:invitationId', { schema: { hide: true } }, (_request, reply) =>
    reply.headers({ ...headers, 'referrer-policy': 'no-referrer' }).type('text/html; charset=utf-8').send(join),
  );
  app.get('/join.js', { schema: { hide: true } }, (_request, reply) =>
    reply.headers(headers).type('text/javascript; charset=utf-8').send(joinScript),
  );

  const icon = web('favicon.svg');
  app.get('/favicon.svg', { schema: { hide: true } }, (_request, reply) =>
    reply.headers({ ...headers, 'cache-control': 'public, max-age=86400' }).type('image/svg+xml').send(icon),
  );

  // Audio from the browser (WebRTC): the page's script, and SIP.js as the package ships it (ES modules
  // with relative imports only), from this server: no CDN.
  const browserAudio = web('browser-audio.js');
  app.get('/browser-audio.js', { schema: { hide: true } }, (_request, reply) =>
    reply.headers(headers).type('text/javascript; charset=utf-8').send(browserAudio),
  );
  const sipJs = sipJsFiles();
  app.get('/vendor/sip.js/*', { schema: { hide: true } }, (request, reply) => {
    const file = sipJs.get((request.params as { '*': string })['*']);
    if (file === undefined) return reply.code(404).send({ error: { code: 'not-found', message: 'no such file' } });
    return reply.headers({ ...headers, 'cache-control': 'public, max-age=86400' }).type('text/javascript; charset=utf-8').send(file);
  });
}

/** Every module of SIP.js's lib/, by its path there (only these are served: nothing else is reachable). */
function sipJsFiles(): Map<string, string> {
  const lib = dirname(createRequire(import.meta.url).resolve('sip.js'));
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) files.set(relative(lib, path), readFileSync(path, 'utf8'));
    }
  };
  walk(lib);
  return files;
}
