import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseEnv, SECRET_KEYS } from './config.js';

const root = mkdtempSync(path.join(tmpdir(), 'nexus-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => path.join(root, `data-${++dirs}`);
const SECRET = 'x'.repeat(32);

/** The problems of the ConfigError thrown for this environment (fails if none is thrown). */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).name).toBe('ConfigError');
    return (err as ConfigError).problems;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('parseEnv: defaults', () => {
  it('gives every documented default for an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      SEED_DEMO: true,
      CORS_ORIGINS: [],
      MAIL_FROM: 'Nexus <no-reply@nexus.local>',
      LOG_LEVEL: 'info',
      DATABASE_POOL_MAX: 10,
      ACCESS_TOKEN_TTL: 900,
      REFRESH_TOKEN_TTL_DAYS: 30,
      OUTBOX_POLL_MS: 2000,
      OUTBOX_MAX_ATTEMPTS: 8,
      SHUTDOWN_TIMEOUT_MS: 10_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
      REDIS_PREFIX: 'nexus:',
    });
    for (const key of [
      'DATABASE_URL',
      'REDIS_URL',
      'SMTP_URL',
      'JWT_SECRET',
      'ADMIN_EMAIL',
      'ADMIN_PASSWORD',
      'PUBLIC_URL',
    ]) {
      expect(env[key as keyof typeof env], key).toBeUndefined();
    }
  });

  it('parses the values it is given', () => {
    const env = parseEnv({
      PORT: '8080',
      SEED_DEMO: 'false',
      DATABASE_URL: 'postgresql://u:p@db:5432/nexus',
      SMTP_URL: 'smtps://u:p@mail:465',
      LOG_LEVEL: 'debug',
      ADMIN_EMAIL: 'boss@example.com',
      ADMIN_PASSWORD: 'long enough',
    });
    expect(env).toMatchObject({ PORT: 8080, SEED_DEMO: false, LOG_LEVEL: 'debug', ADMIN_EMAIL: 'boss@example.com' });
    expect(env.DATABASE_URL).toBe('postgresql://u:p@db:5432/nexus');
    expect(env.SMTP_URL).toBe('smtps://u:p@mail:465');
    expect(parseEnv({ REDIS_URL: 'rediss://:pw@cache:6380/2', REDIS_PREFIX: 'shop-eu:' })).toMatchObject({
      REDIS_URL: 'rediss://:pw@cache:6380/2',
      REDIS_PREFIX: 'shop-eu:',
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads SEED_DEMO=%s as %s', (value, expected) => {
    expect(parseEnv({ SEED_DEMO: value }).SEED_DEMO).toBe(expected);
  });

  it('treats an empty string as unset', () => {
    const env = parseEnv({ PORT: '', DATABASE_URL: '', SMTP_URL: '', LOG_LEVEL: '', ADMIN_EMAIL: '', JWT_SECRET: '' });
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
    // An empty JWT_SECRET is "unset", so production still refuses it.
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: '' }).join('\n')).toMatch(/^JWT_SECRET: required/);
  });

  it('splits CORS_ORIGINS on commas, trimming and dropping empties', () => {
    expect(parseEnv({ CORS_ORIGINS: 'https://a.example, https://b.example ,,' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(parseEnv({ CORS_ORIGINS: 'https://only.example' }).CORS_ORIGINS).toEqual(['https://only.example']);
  });
});

describe('parseEnv: bad variables', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT', /port number/],
    [{ PORT: '70000' }, 'PORT', /./],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /postgres:\/\//],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /postgres:\/\//],
    [{ SMTP_URL: 'http://x' }, 'SMTP_URL', /smtp:\/\//],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL', /redis:\/\//],
    [{ REDIS_PREFIX: 'two words' }, 'REDIS_PREFIX', /without spaces/],
    [{ REDIS_PREFIX: 'x'.repeat(65) }, 'REDIS_PREFIX', /1 to 64/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /./],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET', /at least 32 characters/],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long enough' }, 'ADMIN_EMAIL', /valid e-mail/],
    [{ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD', /at least 8/],
    [{ SEED_DEMO: 'maybe' }, 'SEED_DEMO', /true or false/],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV', /./],
  ])('%j → a ConfigError naming %s', (env, variable, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
    expect(problems[0]).toMatch(message);
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    for (const env of [{ ADMIN_EMAIL: 'a@example.com' }, { ADMIN_PASSWORD: 'long enough' }]) {
      const problems = problemsOf(env);
      expect(problems).toEqual(['ADMIN_EMAIL and ADMIN_PASSWORD must be set together']);
    }
  });

  it('requires JWT_SECRET in production only', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET: required in production (at least 32 random characters)',
    ]);
    expect(parseEnv({ NODE_ENV: 'production', JWT_SECRET: SECRET }).JWT_SECRET).toBe(SECRET);
    expect(parseEnv({ NODE_ENV: 'development' }).JWT_SECRET).toBeUndefined();
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'abc', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://x', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'SMTP_URL']);
  });

  it('keeps a second database connection for the sync listener', () => {
    expect(problemsOf({ DATABASE_POOL_MAX: '1' })).toEqual([
      'DATABASE_POOL_MAX: must be at least 2: one connection listens for sync events',
    ]);
    expect(parseEnv({ DATABASE_POOL_MAX: '2' }).DATABASE_POOL_MAX).toBe(2);
  });

  it('reports the cross-variable rules together with the others', () => {
    const problems = problemsOf({ NODE_ENV: 'production', PORT: 'abc', ADMIN_EMAIL: 'a@example.com' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/^PORT: /m);
    expect(problems.join('\n')).toMatch(/^JWT_SECRET: required in production/m);
    expect(problems).toContain('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  });

  it('puts every problem in the message, and never a secret value', () => {
    let error: ConfigError | undefined;
    try {
      parseEnv({ PORT: 'abc', JWT_SECRET: 'hunter2-too-short' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.message).toMatch(/^Invalid configuration:\n {2}- /);
    expect(error?.message).toContain('PORT');
    expect(error?.message).toContain('JWT_SECRET');
    expect(error?.message).not.toContain('hunter2');
  });
});

describe('loadConfig', () => {
  it('resolves DATA_DIR and derives PUBLIC_URL from PORT, without a trailing slash', () => {
    const dataDir = freshDir();
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '4321', JWT_SECRET: SECRET });
    expect(config.dataDir).toBe(path.resolve(dataDir));
    expect(config.PUBLIC_URL).toBe('http://localhost:4321');
    expect(
      loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://shop.example.com/', JWT_SECRET: SECRET }).PUBLIC_URL,
    ).toBe('https://shop.example.com');
  });

  it('uses JWT_SECRET when given and writes no file', () => {
    const dataDir = freshDir();
    expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET }).JWT_SECRET).toBe(SECRET);
    expect(existsSync(path.join(dataDir, 'jwt-secret'))).toBe(false);
  });

  it('generates a dev JWT secret into DATA_DIR/jwt-secret once and reuses it', () => {
    const dataDir = freshDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = path.join(dataDir, 'jwt-secret');
    expect(first.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8')).toBe(first.JWT_SECRET);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.JWT_SECRET).toBe(first.JWT_SECRET);
    // Another data directory gets its own secret.
    expect(loadConfig({ DATA_DIR: freshDir() }).JWT_SECRET).not.toBe(first.JWT_SECRET);
  });

  it('reads a secret file written by an operator, ignoring a trailing newline', () => {
    const dataDir = freshDir();
    loadConfig({ DATA_DIR: dataDir });
    writeFileSync(path.join(dataDir, 'jwt-secret'), `${'s'.repeat(40)}\n`);
    expect(loadConfig({ DATA_DIR: dataDir }).JWT_SECRET).toBe('s'.repeat(40));
  });

  it('replaces an empty or too short secret file instead of signing with a weak key', () => {
    const dataDir = freshDir();
    loadConfig({ DATA_DIR: dataDir });
    writeFileSync(path.join(dataDir, 'jwt-secret'), 'short\n');
    const secret = loadConfig({ DATA_DIR: dataDir }).JWT_SECRET;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8')).toBe(secret);
  });

  it('throws ConfigError before touching the disk', () => {
    const dataDir = freshDir();
    expect(() => loadConfig({ DATA_DIR: dataDir, PORT: 'abc' })).toThrow(ConfigError);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('lists the secret variables that must never be logged', () => {
    expect(SECRET_KEYS).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'JWT_SECRET', 'ADMIN_PASSWORD', 'SMTP_URL', 'STRIPE_SECRET_KEY']),
    );
  });
});
