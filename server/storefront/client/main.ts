/**
 * The storefront's browser script: progressive enhancement of server-rendered pages. Every page
 * works for reading without it; it adds the interactive parts (variant picker, cart, checkout,
 * account). Kept framework-free so a product page ships a few kilobytes.
 */
import { enhanceListing } from './listing.js';
import { enhanceProduct } from './product.js';

function start(): void {
  enhanceListing(document);
  enhanceProduct(document);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
