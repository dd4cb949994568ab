import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './runtime.js';

if (process.env.NODE_ENV !== 'test') {
  try {
    process.loadEnvFile();
  } catch {
    // No .env file: configuration comes from the environment alone.
  }
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Nexus cannot start.\n${err.message}`);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

const logger = createLogger(config.LOG_LEVEL);
const running = await startServer(config, logger);
const { url, admin, seededProducts } = running;

const lines = [
  '',
  `  Nexus server is up on ${running.nexus.ctx.database.location}`,
  `  Storefront        ${url}/`,
  `  API               ${url}/api/v1`,
  `  API docs          ${url}/api/docs`,
  `  Health            ${url}/api/health   ·   ready: ${url}/api/ready`,
];
if (admin?.password) lines.push(`  Demo admin        ${admin.email} / ${admin.password}   (saved in ${admin.file})`);
else if (admin?.file) lines.push(`  Demo admin        ${admin.email}   (password in ${admin.file})`);
else if (admin) lines.push(`  Admin             ${admin.email}`);
if (seededProducts > 0)
  lines.push(`  Demo catalog      ${seededProducts} products seeded (SEED_DEMO=false to start empty)`);
console.log(`${lines.join('\n')}\n`);

let signals = 0;
const stop = async (signal: NodeJS.Signals) => {
  if (++signals > 1) {
    logger.warn({ signal }, 'second signal: exiting at once');
    process.exit(1);
  }
  logger.info({ signal }, 'shutting down: draining requests');
  try {
    await running.shutdown();
    logger.info('shutdown complete');
    process.exit(0);
  } catch (err) {
    logger.error({ err }, 'shutdown failed');
    process.exit(1);
  }
};
process.on('SIGTERM', (s) => void stop(s));
process.on('SIGINT', (s) => void stop(s));
