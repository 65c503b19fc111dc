import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface EmbeddedDatabase {
  readonly url: string;
  /** Stops the server (parley does on a clean stop; a killed parley leaves it for the next start). */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** PostgreSQL's bin directory (initdb, pg_ctl); default: the newest /usr/lib/postgresql/N/bin. */
  readonly binDir?: string;
  readonly log?: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
}

/** What parley keeps beside the cluster: how to reach it. Readable by its owner only. */
interface Access {
  readonly port: number;
  readonly password: string;
}

const USER = 'parley';
const DATABASE = 'parley';
/** The system user the server runs as when parley runs as root: PostgreSQL refuses to run as root. */
const SERVER_USER = 'postgres';
/** Where clusters go whose DATA_DIR the server's user cannot reach. */
const HOME = '/var/lib/parley';

/**
 * A real PostgreSQL server of parley's own, for `npm start` without DATABASE_URL: Debian's binaries
 * on a cluster under DATA_DIR/postgres, listening on loopback only, with a generated password. Each
 * connection is its own session, as with any PostgreSQL. The server outlives a killed parley (pg_ctl
 * detaches it), so a restarted parley finds it running and re-attaches its calls at once.
 */
export async function startEmbeddedDatabase(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const bin = options.binDir ?? newestBinDir();
  const owner = serverUser();
  const base = resolve(dataDir);
  // Others may pass through (not list): the server's own user must reach its cluster inside.
  mkdirSync(base, { recursive: true, mode: 0o711 });
  const cluster = clusterDir(base, owner);
  const accessFile = join(base, 'postgres.json');
  const pgCtl = (args: string[]) => runAs(owner, join(bin, 'pg_ctl'), ['-D', cluster, ...args]);

  if (!existsSync(join(cluster, 'PG_VERSION'))) {
    const access: Access = { port: await freePort(), password: randomBytes(24).toString('base64url') };
    writeFileSync(accessFile, JSON.stringify(access), { mode: 0o600 });
    await initialise(bin, owner, cluster, access);
    options.log?.info({ cluster }, 'embedded PostgreSQL: new cluster');
    // Before 2026-12-02 the embedded database was PGlite (WASM, one shared session) in DATA_DIR/pg.
    if (existsSync(join(base, 'pg', 'PG_VERSION'))) options.log?.warn({ old: join(base, 'pg') }, 'an earlier PGlite database is left as it was in DATA_DIR/pg; it is not carried over');
  }
  const stored = JSON.parse(readFileSync(accessFile, 'utf8')) as Access;
  let port = runningPort(cluster);
  if (port === undefined) {
    port = (await isFree(stored.port)) ? stored.port : await freePort();
    if (port !== stored.port) writeFileSync(accessFile, JSON.stringify({ ...stored, port }), { mode: 0o600 });
    try {
      await pgCtl(['-l', join(cluster, 'server.log'), '-w', '-t', '60', '-o', `-p ${port}`, 'start']);
    } catch (error) {
      // Another parley started it in the same instant: use that one.
      port = runningPort(cluster);
      if (port === undefined) throw new Error(`embedded PostgreSQL did not start (see ${join(cluster, 'server.log')})`, { cause: error });
    }
    options.log?.info({ port }, 'embedded PostgreSQL started');
  } else options.log?.info({ port }, 'embedded PostgreSQL already running: using it');
  await ensureDatabase(port, stored.password);
  return {
    url: `postgres://${USER}:${encodeURIComponent(stored.password)}@127.0.0.1:${port}/${DATABASE}?sslmode=disable`,
    async stop() {
      if (runningPort(cluster) !== undefined) await pgCtl(['-w', '-m', 'fast', 'stop']);
    },
  };
}

async function initialise(bin: string, owner: string | undefined, cluster: string, access: Access): Promise<void> {
  mkdirSync(cluster, { recursive: true, mode: 0o700 });
  const tmp = mkdtempSync(join(tmpdir(), 'parley-initdb-'));
  const pwfile = join(tmp, 'password');
  writeFileSync(pwfile, access.password, { mode: 0o600 });
  if (owner) {
    chownSync(cluster, ...ids(owner));
    chownSync(tmp, ...ids(owner));
    chownSync(pwfile, ...ids(owner));
  }
  try {
    await runAs(owner, join(bin, 'initdb'), [
      '-D', cluster, '-U', USER, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=scram-sha-256',
      '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions',
    ]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Loopback only, and no Unix socket (a deep DATA_DIR would pass the socket path's length limit).
  appendFileSync(join(cluster, 'postgresql.conf'), "\n# parley\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n");
}

async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`create database ${DATABASE}`).catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error; // created by a parley starting at the same moment
    });
  } finally {
    await client.end();
  }
}

/** The port of the server running on this cluster (postmaster.pid's 4th line), if its process lives. */
function runningPort(cluster: string): number | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * DATA_DIR/postgres, or, when the server's user cannot reach DATA_DIR (a clone under /root, mode 700),
 * a cluster under /var/lib/parley that DATA_DIR/postgres links to.
 */
function clusterDir(base: string, owner: string | undefined): string {
  const wanted = join(base, 'postgres');
  if (lstatSafe(wanted)?.isSymbolicLink()) return realpathSync(wanted);
  if (existsSync(wanted) || !owner || reachable(base, owner)) {
    if (owner && !existsSync(wanted)) {
      mkdirSync(wanted, { mode: 0o700 });
      chownSync(wanted, ...ids(owner));
    }
    return wanted;
  }
  mkdirSync(HOME, { recursive: true, mode: 0o711 });
  const elsewhere = join(HOME, `postgres-${createHash('sha256').update(base).digest('hex').slice(0, 12)}`);
  mkdirSync(elsewhere, { recursive: true, mode: 0o700 });
  chownSync(elsewhere, ...ids(owner));
  if (!lstatSafe(wanted)) symlinkSync(elsewhere, wanted);
  return elsewhere;
}

/** Whether `owner` may pass through every directory down to `dir` (others' execute bit, as the server user is in no group of ours). */
function reachable(dir: string, owner: string): boolean {
  const [uid] = ids(owner);
  let path = '';
  for (const part of dir.split('/').filter(Boolean)) {
    path += `/${part}`;
    const stat = lstatSafe(path);
    if (!stat) return false;
    if (stat.uid !== uid && (stat.mode & 0o001) === 0) return false;
  }
  return true;
}

const lstatSafe = (path: string) => {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
};

function serverUser(): string | undefined {
  return process.getuid?.() === 0 ? SERVER_USER : undefined;
}

const idCache = new Map<string, [number, number]>();
function ids(user: string): [number, number] {
  const cached = idCache.get(user);
  if (cached) return cached;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`the embedded database runs as the system user "${user}" when parley runs as root, and there is none: install Debian's postgresql package (npm start does) or set DATABASE_URL`);
  const [, , uid, gid] = line.split(':');
  const found: [number, number] = [Number(uid), Number(gid)];
  idCache.set(user, found);
  return found;
}

async function runAs(owner: string | undefined, command: string, args: string[]): Promise<void> {
  // cwd '/': the server user may not be allowed to stay in parley's directory.
  if (owner) await run('runuser', ['-u', owner, '--', command, ...args], { cwd: '/' });
  else await run(command, args);
}

function newestBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('no PostgreSQL server binaries in /usr/lib/postgresql: install Debian\'s postgresql package (npm start does), set POSTGRES_BIN_DIR, or set DATABASE_URL');
  return join(root, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port'))));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const server = createServer();
    server.once('error', () => answer(false));
    server.listen(port, '127.0.0.1', () => server.close(() => answer(true)));
  });
}
