import sharp from 'sharp';
import { seededRandom } from './generator.js';

/**
 * A product picture drawn locally (no downloads): soft shapes in the category's hue on a light
 * ground, different per product. SVG rendered by sharp to WebP.
 */
export async function demoImage(hue: number, seed: number, size = 800): Promise<Buffer> {
  const rnd = seededRandom(seed);
  const shapes = Array.from({ length: 5 }, (_, i) => {
    const h = (hue + Math.floor(rnd() * 40) - 20 + 360) % 360;
    const x = Math.round(rnd() * size);
    const y = Math.round(rnd() * size);
    const r = Math.round(size * (0.12 + rnd() * 0.25));
    const light = 45 + Math.floor(rnd() * 30);
    return i % 2 === 0
      ? `<circle cx="${x}" cy="${y}" r="${r}" fill="hsl(${h} 60% ${light}%)" fill-opacity="0.8"/>`
      : `<rect x="${x - r}" y="${y - r / 2}" width="${r * 2}" height="${r}" rx="${r / 5}" fill="hsl(${h} 50% ${light}%)" fill-opacity="0.7"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <rect width="100%" height="100%" fill="hsl(${hue} 30% 94%)"/>${shapes}
    <rect x="${size * 0.3}" y="${size * 0.3}" width="${size * 0.4}" height="${size * 0.4}" rx="${size * 0.05}" fill="hsl(${hue} 45% 30%)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).webp({ quality: 80 }).toBuffer();
}
