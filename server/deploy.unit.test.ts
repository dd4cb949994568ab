/**
 * The deployment files (Dockerfile, compose.yaml) cannot be run on this machine (no Docker
 * engine), so they are checked here instead: the Dockerfile lints clean, what it copies and runs
 * exists, and every variable the compose file hands the server is one the server reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARIABLES, parseEnv } from './config.js';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const compose = parse(readFileSync('compose.yaml', 'utf8')) as {
  services: Record<
    string,
    { build?: string; image?: string; command?: string[]; environment?: Record<string, string> }
  >;
};
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

/** `${NAME:-default}` and `${NAME:?message}` as compose substitutes them, with the default or a sample value. */
const substitute = (value: string) =>
  String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, kind?: string, rest?: string) =>
    kind === '-' ? (rest ?? '') : name === 'JWT_SECRET' ? 'x'.repeat(40) : '',
  );

describe('Dockerfile', () => {
  it('lints without problems (dockerfile-utils, the rules behind VS Code’s Docker support)', () => {
    expect(validate(dockerfile)).toEqual([]);
    // The linter does report a broken file, so the empty list above means something.
    expect(validate('FROM node:20\nCOPY\nEXPOSE port\n').length).toBeGreaterThan(0);
  });

  it('copies files that exist and runs the compiled server from the build script', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    expect(copied.length).toBeGreaterThan(3);
    for (const file of copied) expect(existsSync(file), file).toBe(true);
    expect(dockerfile).toContain('npm run build:server');
    expect(scripts['build:server']).toContain('tsconfig.server.json');
    expect(dockerfile).toMatch(/CMD \["node", "dist\/server\/main\.js"\]/);
    // The ready probe the health check calls is the server's own.
    expect(dockerfile).toContain('/api/ready');
  });

  it('runs as an unprivileged user and sets only variables the server knows', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    const env = [...dockerfile.matchAll(/^ENV (.+)$/gm)].flatMap((m) =>
      m[1]!.split(' ').map((kv) => kv.split('=')[0]!),
    );
    const serverEnv = env.filter((name) => !/^(ELECTRON|PLAYWRIGHT)_/.test(name));
    expect(serverEnv).toContain('HOST');
    for (const name of serverEnv) expect(ENV_VARIABLES, name).toContain(name);
  });
});

describe('compose.yaml', () => {
  const server = compose.services.server!;

  it('runs the server with Postgres and Redis, after migrations', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['migrate', 'postgres', 'redis', 'server']);
    expect(compose.services.migrate!.command).toEqual(['node', 'dist/server/migrate.js']);
    expect(existsSync('server/migrate.ts')).toBe(true);
    expect(server.environment!.DATABASE_URL).toContain('@postgres:5432/');
    expect(server.environment!.REDIS_URL).toBe('redis://redis:6379');
  });

  it.each(['server', 'migrate'])('hands %s only variables it reads, and values it accepts in production', (name) => {
    const environment = compose.services[name]!.environment!;
    for (const key of Object.keys(environment)) expect(ENV_VARIABLES, key).toContain(key);
    const env = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, substitute(v)]));
    // The image sets NODE_ENV=production, where the configuration is strictest.
    expect(() => parseEnv({ NODE_ENV: 'production', ...env })).not.toThrow();
    // Production without a JWT secret must not start: the compose file demands one.
    expect(String(environment.JWT_SECRET)).toMatch(/\$\{JWT_SECRET:\?/);
  });
});
