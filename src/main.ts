import { pino } from 'pino';
import { AriTelephony } from './adapters/ari/ari-telephony.js';
import { startJobs } from './adapters/cron/cron.js';
import { buildHttp } from './adapters/http/app.js';
import { startEmbeddedDatabase } from './adapters/pg/embedded.js';
import { migrate } from './adapters/pg/migrate.js';
import { createPool } from './adapters/pg/pool.js';
import { watchDatabase } from './adapters/pg/database-watch.js';
import { espeakNameVoice } from './adapters/tts/espeak-name-voice.js';
import { DEFAULT_ATTENDANT } from './calls/attendant.js';
import { routeCalls } from './calls/route-calls.js';
import { ConfigError, loadConfig } from './config.js';
import { createServices, metricsOf } from './services.js';
import { startWebhookRunner } from './integrations/webhook-runner.js';
import { installRejectionPolicy } from './ports/background.js';
import { clusterRuntime } from './cluster-runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', '*.passcode', '*.pin', '*.password', 'passcode', 'pin', 'password'],
      censor: '[redacted]',
    },
  });
  installRejectionPolicy(process, log);

  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedDatabase(config.dataDir, { log: log.child({ component: 'embedded-db' }), ...(config.postgresBinDir ? { binDir: config.postgresBinDir } : {}) });
  const pool = createPool(config.databaseUrl ?? embedded!.url);
  const version = await migrate(pool);
  log.info({ version }, 'database schema ready');
  const databaseWatch = watchDatabase(pool, log.child({ component: 'database' }));

  const metrics = metricsOf(pool, log.child({ component: 'metrics' }));
  // One box drives its Asterisk; a cluster instance drives the media nodes it holds leases on.
  const cluster = config.cluster && clusterRuntime(config, config.cluster, pool, log, metrics);
  const oneBox = cluster ? undefined : new AriTelephony(config.ari, log.child({ component: 'ari' }), metrics, metrics);
  const telephony = cluster?.telephony ?? oneBox!;
  const jobsLog = log.child({ component: 'jobs' });
  const webhooksLog = log.child({ component: 'webhooks' });
  const { pollMs: webhookPollMs, ...webhookSettings } = config.webhooks;
  const services = createServices({
    pool,
    telephony,
    log: log.child({ component: 'conferences' }),
    serviceToken: config.apiToken,
    publicUrl: config.publicUrl,
    passcodeForAnonymous: config.passcodeForAnonymous,
    jobs: config.jobs,
    recordingDir: config.recordingDir,
    jobsLog,
    pinPolicy: config.pinPolicy,
    commandKey: config.attendant.commandKey,
    nameVoice: espeakNameVoice(config.recordingDir),
    ...(config.dialOutCallerId ? { dialOutCallerId: config.dialOutCallerId } : {}),
    invitationSeconds: config.invitationSeconds,
    registrar: telephony.registrar,
    sipRegistrarUri: config.sipRegistrarUri,
    webhooks: webhookSettings,
    webhooksLog,
    dialOutLimits: config.dialOutLimits,
    dialOutBlockedTypes: config.dialOutBlockedTypes,
    keypad: config.keypad,
    webhookAllowedNetworks: config.webhookAllowedNetworks,
    hashCost: config.hashCost,
    metrics,
    ...(cluster ? { scope: cluster.scope } : {}),
  });
  routeCalls(telephony, services.conferences, services.participants, log.child({ component: 'calls' }), {
    onDatabaseBack: (listener) => databaseWatch.onBack(listener),
    identities: services.pins,
    languages: services.languages,
    guard: services.keypadGuard,
    metrics,
    ...(cluster ? { relays: cluster.relays } : {}),
    devices: {
      async callerOf(username) {
        const browser = await services.browserAudio.callerOf(username);
        if (browser) return browser;
        const user = await services.sipDevices.userOf(username);
        return user && { kind: 'user', user };
      },
      ended: (username) => services.browserAudio.ended(username),
    },
    settings: {
      ...DEFAULT_ATTENDANT,
      commandKey: config.attendant.commandKey,
      nameSeconds: config.attendant.nameSeconds,
      lobbyMaxMs: config.attendant.lobbyMaxMinutes * 60_000,
    },
    userCalls: {
      telephony,
      registrar: telephony.registrar,
      forwarding: services.callForwarding,
      guard: services.dialOutGuard,
      forwardCallerId: config.forwardCallerId,
      ...(config.dialOutCallerId ? { fixedCallerId: config.dialOutCallerId } : {}),
      devices: services.sipDevices,
      calls: services.userCalls,
      forwardRingSeconds: config.forwardRingSeconds,
      voicemail: { voicemails: services.voicemailStore, files: services.recordings.files, maxSeconds: config.voicemailMaxSeconds, log: log.child({ component: 'voicemail' }) },
      log: log.child({ component: 'user-calls' }),
    },
  });
  if (cluster) await cluster.ownership.start();
  oneBox?.start();

  const stopJobs = startJobs(
    [
      { name: 'expire-meetings', schedule: '*/15 * * * *', run: services.jobs['expire-meetings'] },
      { name: 'warn-pin-expiry', schedule: '7 * * * *', run: services.jobs['warn-pin-expiry'] },
      { name: 'close-stale-participants', schedule: '*/5 * * * *', run: services.jobs['close-stale-participants'] },
      { name: 'purge-recordings', schedule: '23 * * * *', run: services.jobs['purge-recordings'] },
      { name: 'purge-events', schedule: '41 * * * *', run: services.jobs['purge-events'] },
      { name: 'purge-webhook-deliveries', schedule: '53 * * * *', run: services.jobs['purge-webhook-deliveries'] },
      // Callers whose guessing window and refusal are over: bounded however many numbers a guesser rotates.
      { name: 'prune-keypad-guesses', schedule: '29 * * * *', run: (now) => services.keypadGuesses.prune(now, config.keypad.rule.windowMinutes) },
    ],
    services.jobLock,
    services.clock,
    jobsLog,
  );

  await services.audioInvitations.start();
  const webhookRunner = startWebhookRunner(services.webhooks, webhooksLog, webhookPollMs);
  const http = await buildHttp(services, {
    logger: log.child({ component: 'http' }),
    streams: { maxPerUser: config.maxStreamsPerUser },
    trustProxy: config.trustProxy,
    sipWebSocket: `${(cluster?.homeAriUrl ?? config.ari.url).replace(/^http/, 'ws')}/ws`,
    ...(cluster ? { owners: cluster.owners } : {}),
  });
  await http.listen({ port: config.port, host: config.host });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping; calls stay up in Asterisk and are re-adopted at the next start');
    await http.close();
    await stopJobs();
    databaseWatch.stop();
    await webhookRunner.stop();
    services.audioInvitations.stop();
    await Promise.race([services.conferences.attendance.drain(), new Promise((resolve) => setTimeout(resolve, 3000))]);
    if (cluster) {
      await cluster.ownership.stop();
      cluster.close();
    }
    oneBox?.stop();
    await services.events.feed.close();
    await pool.end();
    await embedded?.stop();
    process.exit(0);
  };
  // A stop that fails half-way must still end the process (a supervisor restarts it).
  const stopOn = (signal: string) => () =>
    stop(signal).catch((error: unknown) => {
      log.error({ err: error, signal }, 'stopping failed; exiting');
      process.exit(1);
    });
  process.on('SIGINT', stopOn('SIGINT'));
  process.on('SIGTERM', stopOn('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
