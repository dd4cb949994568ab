import { IMAGE_CDN_ORIGINS } from '../../shared/contract/shapes.js';

/**
 * The storefront's Content-Security-Policy: our own script and style only, images from us and the
 * image CDN, and Stripe's script, frames and API when the Payment Element is in use. JSON-LD and
 * the page config are data blocks (type="application/…"), which CSP does not treat as scripts.
 */
export function storefrontCsp(options: { stripe: boolean }): string {
  const stripe = options.stripe;
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'self'"],
    'form-action': ["'self'"],
    'script-src': ["'self'", ...(stripe ? ['https://js.stripe.com', 'https://*.js.stripe.com'] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', ...IMAGE_CDN_ORIGINS, ...(stripe ? ['https://*.stripe.com'] : [])],
    'connect-src': ["'self'", ...(stripe ? ['https://api.stripe.com'] : [])],
    'frame-src': stripe ? ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'] : ["'none'"],
    'font-src': ["'self'", 'data:'],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}
