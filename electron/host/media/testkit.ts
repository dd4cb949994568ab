/** Real image bytes for the media tests, made with sharp (the same decoder the host and server use). */
import sharp from 'sharp';

export type Format = 'jpeg' | 'png' | 'webp' | 'gif';

export async function makeImage(format: Format = 'png', width = 40, height = 30): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .toFormat(format)
    .toBuffer();
}

export const b64 = (data: Buffer) => data.toString('base64');

/** What the fake server saw of one multipart upload. */
export interface SentUpload {
  productId: string;
  /** The image id the host chose (its queue row's). */
  id: string | null;
  alt: string | null;
  fileName: string;
  type: string;
  bytes: Buffer;
  authorization: string | null;
}

/** A reply to one upload: an HTTP answer, or 'network' for a connection that failed. */
export type Reply = (sent: SentUpload) => Response | 'network' | Promise<Response | 'network'>;

export const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export const problem = (status: number, code: string, detail: string) =>
  answer(status, { type: 'about:blank', title: code, status, code, detail });

/** Parses a request the uploader made with fetch (a FormData body), as a server's multipart parser would. */
export async function readUpload(url: string, init: RequestInit | undefined): Promise<SentUpload> {
  const form = init?.body as FormData;
  const file = form.get('file') as File;
  const alt = form.get('alt');
  const id = form.get('id');
  return {
    productId: /\/api\/v1\/admin\/products\/([^/]+)\/images$/.exec(url)?.[1] ?? url,
    id: typeof id === 'string' ? id : null,
    alt: typeof alt === 'string' ? alt : null,
    fileName: file.name,
    type: file.type,
    bytes: Buffer.from(await file.arrayBuffer()),
    authorization: new Headers(init?.headers).get('authorization'),
  };
}
