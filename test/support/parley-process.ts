// Runs the built parley (node dist/main.js) as its own process, as production does, so tests
// can kill it and start it again while calls stay up in Asterisk.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';
import { spawnTied } from './tied.js';
import { slotEnv } from './test-slot.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export interface Parley {
  readonly url: string;
  readonly token: string;
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /**
   * Starts the process and waits until it reports the database (and, unless told not to, Asterisk) up.
   * `via: 'start.sh'` runs it the way the README does (scripts/start.sh: build, prompts, Asterisk, parley).
   */
  start(options?: { asterisk?: 'up' | 'down'; via?: 'node' | 'start.sh' }): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
  pid(): number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Tries on another port when the one picked was taken meanwhile (eight files pick ports at the same moment). */
const PORT_ATTEMPTS = 3;

/** Every parley this test file has started, for the log written when a test fails (log-on-failure.ts). */
export const startedParleys = new Set<Parley>();

/** The lines of a parley's log that say what it did (not every HTTP request it answered). */
export function logTail(output: string, lines: number): string {
  return output
    .split('\n')
    .filter((line) => !line.includes('"component":"http"'))
    .slice(-lines)
    .join('\n');
}

export async function parleyProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<Parley> {
  let port = await freePort();
  const token = randomBytes(18).toString('hex');
  let url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  const api: Parley['api'] = async (method, path, body, headers = {}) => {
    const response = await fetch(url + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const parley: Parley = {
    get url() {
      return url;
    },
    token,
    api,
    output: () => output,
    pid: () => child?.pid ?? -1,
    async start({ asterisk = 'up', via = 'node' } = {}) {
      const nodeFlags = process.env.PARLEY_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
      const [command, args] = via === 'start.sh' ? ['bash', ['scripts/start.sh']] : [process.execPath, [...nodeFlags, 'dist/main.js']];
      startedParleys.add(parley);
      const spawn = () => {
        const started = spawnTied(command, args, {
          cwd: root,
          env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, API_TOKEN: token, LOG_LEVEL: 'debug', ...slotEnv, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        return started;
      };
      /** Up and ours, or the port was taken before it could bind (then: 'port taken'). */
      const up = () =>
        eventually(async () => {
          if (child?.exitCode !== null) {
            if (output.includes('EADDRINUSE')) return 'port taken';
            throw new Error(`parley exited:\n${output}`);
          }
          const health = (await fetch(`${url}/health`).then((r) => r.json())) as { asterisk: string; database: string };
          if (health.asterisk !== asterisk || health.database !== 'up') throw new Error(JSON.stringify(health));
          // Ours, not another file's parley that took the port first: it knows this token.
          const ours = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
          if (ours.status === 401) throw new Error(`another parley answers on port ${port}`);
          return 'up';
        }, via === 'start.sh' ? 120_000 : 60_000);
      try {
        for (let attempt = 1; ; attempt++) {
          child = spawn();
          if ((await up()) === 'up') return;
          if (attempt >= PORT_ATTEMPTS) throw new Error(`parley exited: port ${port} taken\n${output}`);
          port = await freePort();
          url = `http://127.0.0.1:${port}`;
          output = '';
        }
      } catch (error) {
        // Why it never came up is in its log (not its requests): the last lines go with the failure.
        throw new Error(`${error instanceof Error ? error.message : String(error)}\nparley's log, last lines:\n${logTail(output, 25)}`, { cause: error });
      }
    },
    async kill(signal = 'SIGTERM') {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill(signal);
      // A test hook must never leave a parley behind to answer the next file's calls. A profiled
      // parley (--cpu-prof) writes its profile as it exits: give it time to.
      const profiling = process.env.PARLEY_NODE_FLAGS?.includes('--cpu-prof') ?? false;
      const force = setTimeout(() => child?.kill('SIGKILL'), profiling ? 60_000 : 5000);
      await exited;
      clearTimeout(force);
    },
  };
  return parley;
}
