/**
 * What bench:backoffice's catalog looks like, and what a person types to search it. Pure: the
 * store builder (backoffice-store.ts) writes products from these functions and the bench types
 * queries made from the same ones, so every query finds products that exist.
 */

// Made-up brand words from syllables (a few common, a long tail; bench/host.ts uses them too), product nouns, colours.
export const SYLLABLES = ['ka', 'lo', 'mi', 'ten', 'ra', 'so', 'vel', 'dun', 'pi', 'gar', 'no', 'shi', 'bre', 'tor'];
export const BRANDS: readonly string[] = SYLLABLES.flatMap((a) =>
  SYLLABLES.flatMap((b) => ['', ...SYLLABLES].map((c) => a + b + c)),
);
export const NOUNS: readonly string[] = [
  'hoodie',
  'jacket',
  'parka',
  'tote',
  'mug',
  'scarf',
  'boots',
  'beanie',
  'lamp',
  'blanket',
];
export const COLOURS: readonly string[] = ['black', 'navy', 'olive', 'sand', 'rust', 'cream', 'slate', 'forest'];
export const SIZES: readonly string[] = ['S', 'M', 'L'];

/** A fixed pseudo-random number in [0, 1) per (n, salt): the same product looks the same in every pass. */
export function unit(n: number, salt: number): number {
  let t = Math.imul(n ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
  return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
}

/** Product n's words: a Zipf-like brand (low indexes far more often), a colour and a noun. */
export function productWords(n: number): { brand: string; colour: string; noun: string } {
  return {
    brand: BRANDS[Math.floor(BRANDS.length * unit(n, 1) ** 3)]!,
    colour: COLOURS[Math.floor(n / NOUNS.length) % COLOURS.length]!,
    noun: NOUNS[n % NOUNS.length]!,
  };
}

export function productName(n: number): string {
  const { brand, colour, noun } = productWords(n);
  return `${brand[0]!.toUpperCase()}${brand.slice(1)} ${colour} ${noun}`;
}

/** Variant k's SKU: "HOOD-4521-M". */
export const skuOf = (n: number, k: number) => `${NOUNS[n % NOUNS.length]!.slice(0, 4).toUpperCase()}-${n}-${SIZES[k]}`;

/**
 * What a person looks for in a catalog of `products` products: a noun, a colour and a noun, a
 * brand, a product's full name, a SKU, a brand and a noun. Cycles through those kinds so any
 * `count` mixes them; the products named are spread over the whole catalog.
 */
export function searchQueries(products: number, count: number): string[] {
  const pick = (i: number) => 1 + Math.floor((((i * 7919) % count) / count) * products);
  const kinds: ((i: number) => string)[] = [
    (i) => NOUNS[i % NOUNS.length]!,
    (i) => `${COLOURS[i % COLOURS.length]!} ${NOUNS[(i * 3) % NOUNS.length]!}`,
    (i) => productWords(pick(i)).brand,
    (i) => productName(pick(i)).toLowerCase(),
    (i) => skuOf(pick(i), i % SIZES.length),
    (i) => `${productWords(pick(i)).brand} ${productWords(pick(i)).noun}`,
  ];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!(i));
}

export interface Keystroke {
  /** The key pressed (one character). */
  key: string;
  /** What the search box holds after it, trimmed: the text the screen must then answer for. */
  query: string;
  /** False for a key that leaves the trimmed text as it was (a space between words): no search starts, nothing to time. */
  timed: boolean;
}

/** The keys typing `text` presses, each with the query the screen must show after it. */
export function keystrokes(text: string): Keystroke[] {
  let previous = '';
  return [...text].map((key, i) => {
    const query = text.slice(0, i + 1).trim();
    const timed = query !== previous;
    previous = query;
    return { key, query, timed };
  });
}
