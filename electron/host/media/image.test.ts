import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MEDIA_MAX_BYTES } from '../../../shared/contract/backoffice.js';
import { checkImage } from './image.js';
import { b64, makeImage } from './testkit.js';

const refused = (promise: Promise<unknown>, code: string, message?: RegExp) =>
  expect(promise).rejects.toMatchObject({ name: 'AppError', code, ...(message ? { message } : {}) });

describe('checkImage', () => {
  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
  ] as const)('accepts %s by its bytes, with its size and a small WebP preview', async (format, mimeType) => {
    const data = await makeImage(format, 400, 300);
    const image = await checkImage(b64(data), `photo.${format}`);
    expect(image).toMatchObject({ mimeType, width: 400, height: 300 });
    expect(image.data.equals(data)).toBe(true);
    expect(image.preview).toMatch(/^data:image\/webp;base64,/);
    const preview = await sharp(Buffer.from(image.preview.split(',')[1]!, 'base64')).metadata();
    expect([preview.format, preview.width, preview.height]).toEqual(['webp', 160, 120]);
  });

  it('judges by the bytes, not the name: JPEG bytes named .png are a JPEG', async () => {
    const image = await checkImage(b64(await makeImage('jpeg')), 'cup.png');
    expect(image.mimeType).toBe('image/jpeg');
  });

  it('takes a data: URL as FileReader gives it', async () => {
    const data = await makeImage('png');
    const image = await checkImage(`data:image/png;base64,${b64(data)}`, 'cup.png');
    expect(image.data.equals(data)).toBe(true);
  });

  it('refuses a PNG name with other bytes (text, GIF) as unsupported media (415)', async () => {
    const text = Buffer.from('this is not a picture at all, only words');
    await refused(checkImage(b64(text), 'cup.png'), 'unsupported_media_type', /"cup.png" is not a recognised image/);
    await refused(checkImage(b64(await makeImage('gif')), 'cup.png'), 'unsupported_media_type', /image\/gif/);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    await refused(checkImage(b64(pdf), 'scan.png'), 'unsupported_media_type', /application\/pdf/);
  });

  it('refuses more than 10 MiB (413) before decoding it', async () => {
    const big = Buffer.alloc(MEDIA_MAX_BYTES + 1);
    (await makeImage('png')).copy(big);
    await refused(checkImage(b64(big), 'huge.png'), 'payload_too_large', /at most 10 MiB/);
    // Exactly the limit is accepted (a PNG followed by padding still decodes).
    const limit = Buffer.alloc(MEDIA_MAX_BYTES);
    (await makeImage('png')).copy(limit);
    const accepted = await checkImage(b64(limit), 'limit.png');
    expect([accepted.mimeType, accepted.data.length]).toEqual(['image/png', MEDIA_MAX_BYTES]);
  });

  it('refuses what is not base64, an empty file, and an image cut short (422)', async () => {
    await refused(checkImage('not base64!', 'a.png'), 'validation_failed', /base64/);
    await refused(checkImage('QUJD=', 'a.png'), 'validation_failed', /base64/);
    await refused(checkImage('', 'a.png'), 'validation_failed', /empty/);
    const png = await makeImage('png', 600, 600);
    const cut = png.subarray(0, Math.floor(png.length / 2));
    await refused(checkImage(b64(cut), 'cut.png'), 'validation_failed', /cannot be decoded/);
  });

  it('names the file and the field in the error', async () => {
    const error = (await checkImage('%%%%', 'a.png').catch((e: unknown) => e)) as { errors: { path: string }[] };
    expect(error.errors.map((e) => e.path)).toEqual(['base64']);
  });
});
