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

export interface JsonAnswer {
  /** 0 when the request failed before an answer (connection refused, reset). */
  status: number;
  body: unknown;
}

/** Keep-alive JSON requests: the answer's status and parsed body. */
export function httpJson(baseUrl: string, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const base = new URL(baseUrl);
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<JsonAnswer>((resolve) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          path,
          method,
          agent,
          headers: {
            ...(data === undefined
              ? {}
              : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)) }),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // Not JSON: the text is the body.
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('error', () => resolve({ status: 0, body: undefined }));
      req.end(data);
    });
  return { request, close: () => agent.destroy() };
}
