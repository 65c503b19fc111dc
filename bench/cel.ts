// When each caller entered a bridge, from Asterisk's Channel Event Logging: the one record of a bridge
// entry Asterisk keeps for ConfBridge's bridges and ARI's alike without building an event for every
// channel in the bridge (ARI publishes ChannelEnteredBridge on the bridge only, and will not subscribe
// an app to ConfBridge's bridge). CEL is off in asterisk-config/; the bench turns it on for BRIDGE_ENTER
// alone while it runs, into a file of its own, and turns it off again.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { asteriskRoot, cli, SetupError } from './asterisk.js';

export interface BridgeEntry {
  /** Asterisk's clock, ms since the epoch (the stasis message's own time, as ARI's event timestamps). */
  readonly at: number;
  readonly channelName: string;
  /** The channel's unique id: its ARI channel id. */
  readonly channelId: string;
}

export interface BridgeEntries {
  /** Entries written since the last call. */
  take(): BridgeEntry[];
  close(): void;
}

const FILE = 'parley-bench-bridge-entries.csv';
const MODULES = ['res_cdrel_custom.so', 'cel_custom.so'];

/** Loads an Asterisk module, or reloads it (its configuration) when it is loaded already. */
function load(module: string): boolean {
  const running = new RegExp(`${module.replace('.', '\\.')}.*Running`).test(cli(`module show like ${module.replace('.so', '')}`) ?? '');
  const output = cli(`module ${running ? 'reload' : 'load'} ${module}`);
  return output !== undefined && !/fail|error|not found/i.test(output);
}

export function bridgeEntries(): BridgeEntries {
  const etc = join(asteriskRoot(), 'etc/asterisk');
  const output = join(asteriskRoot(), 'var/log/asterisk/cel-custom', FILE);
  const celConf = join(etc, 'cel.conf');
  const original = readFileSync(celConf, 'utf8');
  rmSync(output, { force: true });
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(join(etc, 'cel_custom.conf'), `[mappings]\n${FILE} => \${eventtime},\${CHANNEL(channame)},\${CHANNEL(uniqueid)}\n`);
  writeFileSync(celConf, '[general]\nenable = yes\nevents = BRIDGE_ENTER\n');
  // cel_custom writes through res_cdrel_custom (so in 22.10); neither is in modules.conf.
  const ok = MODULES.every(load) && cli('module reload cel') !== undefined;
  const off = () => {
    writeFileSync(celConf, original);
    cli('module reload cel');
    for (const module of [...MODULES].reverse()) cli(`module unload ${module}`);
    rmSync(join(etc, 'cel_custom.conf'), { force: true });
  };
  if (!ok) {
    off();
    throw new SetupError(`could not turn on Asterisk's CEL for bridge entries (needs root and 'npm run asterisk -- up')`);
  }
  let offset = 0;
  let partial = '';
  return {
    take() {
      if (!existsSync(output)) return [];
      const fd = openSync(output, 'r');
      const chunks: Buffer[] = [];
      try {
        const buffer = Buffer.alloc(64 * 1024);
        for (let read = readSync(fd, buffer, 0, buffer.length, offset); read > 0; read = readSync(fd, buffer, 0, buffer.length, offset)) {
          chunks.push(Buffer.from(buffer.subarray(0, read)));
          offset += read;
        }
      } finally {
        closeSync(fd);
      }
      const lines = (partial + Buffer.concat(chunks).toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      return lines.flatMap((line) => {
        const [time, channelName, channelId] = line.replace(/"/g, '').split(',');
        const at = Number(time) * 1000;
        return Number.isFinite(at) && channelName && channelId ? [{ at, channelName, channelId }] : [];
      });
    },
    close: off,
  };
}
