import { pino, type Logger } from 'pino';

/** Query parameters that can carry credentials (guest order links, reset links). */
const SECRET_QUERY_KEYS = /^(token|access_?token|refresh_?token|key|secret|password|code)$/i;

export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SECRET_QUERY_KEYS.test(key)) params.set(key, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'nexus-server' },
      // Defence in depth: bodies and headers are not logged at all, but if some code logs an
      // object holding one of these, the value never reaches the output.
      redact: {
        paths: [
          'password',
          '*.password',
          'passwordHash',
          '*.passwordHash',
          'token',
          '*.token',
          'accessToken',
          '*.accessToken',
          'refreshToken',
          '*.refreshToken',
          'authorization',
          '*.authorization',
          '*.headers.authorization',
          '*.headers.cookie',
          'secret',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}
