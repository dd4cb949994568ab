import http from 'node:http';

/** A keep-alive GET that resolves true on a 2xx/304 answer; the body is drained, not parsed. */
export function httpGetter(baseUrl: string, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const base = new URL(baseUrl);
  const get = (path: string) =>
    new Promise<boolean>((resolve) => {
      const req = http.get({ host: base.hostname, port: base.port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve((res.statusCode ?? 500) < 400));
      });
      req.on('error', () => resolve(false));
    });
  return { get, close: () => agent.destroy() };
}
