/**
 * Checks an image before it is queued, with the server's own rules (server/modules/media), so a
 * file the server would refuse is refused now, while the person still has it at hand, rather than
 * failing hours later in the uploader: at most 10 MiB, JPEG, PNG or WebP judged by its bytes (a
 * name or a Content-Type proves nothing), pixels that decode, at most 100 megapixels.
 */
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { MEDIA_MAX_BYTES, MEDIA_MIME_TYPES } from '../../../shared/contract/backoffice.js';
import { AppError } from '../../../shared/domain/errors.js';

export type MediaMimeType = (typeof MEDIA_MIME_TYPES)[number];

export const EXTENSIONS: Record<MediaMimeType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** The server's MAX_INPUT_PIXELS: a crafted file cannot make a decode allocate gigabytes. */
const MAX_PIXELS = 100_000_000;
const PREVIEW_SIZE = 160;

export interface CheckedImage {
  data: Buffer;
  mimeType: MediaMimeType;
  width: number;
  height: number;
  /** A small WebP thumbnail as a data: URL. */
  preview: string;
}

const mib = (bytes: number) => `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
const invalid = (message: string, field = 'base64') =>
  new AppError('validation_failed', message, { errors: [{ path: field, message }] });

export async function checkImage(base64: string, fileName: string): Promise<CheckedImage> {
  const data = decodeBase64(base64);
  const detected = await fileTypeFromBuffer(data);
  const mimeType = MEDIA_MIME_TYPES.find((t) => t === detected?.mime);
  if (!mimeType) {
    const what = detected ? `${detected.mime} (.${detected.ext})` : 'not a recognised image';
    throw new AppError(
      'unsupported_media_type',
      `Only JPEG, PNG and WebP images are accepted; the content of "${fileName}" is ${what}, whatever its name says`,
    );
  }
  const { width, height } = await dimensions(data, fileName);
  if (width * height > MAX_PIXELS)
    throw invalid(`"${fileName}" is ${width}×${height} pixels; at most 100 megapixels are accepted`);
  // Decoding every pixel for the thumbnail also catches a file cut short after a valid header.
  const thumbnail = await sharp(data, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' })
    .rotate()
    .resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 70 })
    .toBuffer()
    .catch(() => {
      throw unreadable(fileName);
    });
  return { data, mimeType, width, height, preview: `data:image/webp;base64,${thumbnail.toString('base64')}` };
}

const unreadable = (fileName: string) =>
  invalid(`"${fileName}" starts like an image but cannot be decoded (truncated or corrupt)`);

/**
 * Plain base64, or a data: URL as FileReader gives it. The size is known from the length before
 * decoding, so an oversized file is refused without allocating it.
 */
function decodeBase64(input: string): Buffer {
  const text = input.replace(/^data:[^,]{0,200};base64,/, '');
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text))
    throw invalid('The file must be sent as base64 (A–Z, a–z, 0–9, +, /, = padding)');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = (text.length / 4) * 3 - padding;
  if (bytes > MEDIA_MAX_BYTES)
    throw new AppError(
      'payload_too_large',
      `The image is ${mib(bytes)}; at most ${mib(MEDIA_MAX_BYTES)} can be uploaded. Resize or compress it first`,
    );
  if (bytes === 0) throw invalid('The file is empty');
  return Buffer.from(text, 'base64');
}

/** Width and height as displayed (EXIF orientation applied), after proving the header decodes. */
async function dimensions(data: Buffer, fileName: string): Promise<{ width: number; height: number }> {
  try {
    const meta = await sharp(data, { limitInputPixels: false }).metadata();
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) throw unreadable(fileName);
    return { width, height };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadable(fileName);
  }
}
