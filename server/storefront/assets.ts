import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The storefront's browser code and style, built once per process and served with content hashes. */
export interface StoreAssets {
  script: string;
  style: string;
  files: Map<string, { body: Buffer; type: string }>;
}

const CLIENT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');

const hashed = (name: string, ext: string, body: Buffer) =>
  `${name}.${createHash('sha256').update(body).digest('base64url').slice(0, 12)}.${ext}`;

async function buildAssets(): Promise<StoreAssets> {
  // Small by design (issue 8: under 100 kB gzipped on a product page): no framework, one module.
  const result = await build({
    entryPoints: [path.join(CLIENT_DIR, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const script = Buffer.from(result.outputFiles[0]!.contents);
  const style = await readFile(path.join(CLIENT_DIR, 'store.css'));
  const scriptName = hashed('store', 'js', script);
  const styleName = hashed('store', 'css', style);
  return {
    script: `/assets/${scriptName}`,
    style: `/assets/${styleName}`,
    files: new Map([
      [scriptName, { body: script, type: 'text/javascript; charset=utf-8' }],
      [styleName, { body: style, type: 'text/css; charset=utf-8' }],
    ]),
  };
}

let assets: Promise<StoreAssets> | undefined;

/** Built on first use and kept; a failed build is retried on the next request. */
export function storeAssets(): Promise<StoreAssets> {
  assets ??= buildAssets().catch((error: unknown) => {
    assets = undefined;
    throw error;
  });
  return assets;
}
