import type { Request } from 'express';
import {
  addCartItemBody,
  CART_TOKEN_HEADER,
  cartSchema,
  GUEST_CART_TTL_DAYS,
  newCartSchema,
  updateCartItemBody,
  variantIdParam,
} from '../../../shared/api/cart.schemas.js';
import { AppError } from '../../../shared/domain/errors.js';
import type { AppContext } from '../../context.js';
import type { AuthContext } from '../../http/auth.js';
import { ApiRouter } from '../../http/route.js';
import { mergeGuestCart } from './cart.merge.js';
import * as cart from './cart.service.js';

const guestToken = (req: Request): string | undefined => req.get(CART_TOKEN_HEADER) || undefined;

/** A Bearer token wins: a member always works on their own cart, whatever X-Cart-Token says. */
function cartOwner(auth: AuthContext | undefined, req: Request): cart.CartOwner {
  if (auth) return { kind: 'member', userId: auth.userId };
  const token = guestToken(req);
  if (!token) {
    throw new AppError(
      'cart_token_required',
      `Send the ${CART_TOKEN_HEADER} header of a guest cart (POST /api/v1/cart makes one), or sign in`,
    );
  }
  return { kind: 'guest', token };
}

const WHOSE =
  `Signed in (Bearer): the member's own cart, created on first use; ${CART_TOKEN_HEADER} is then ignored. ` +
  `Otherwise the guest cart of the ${CART_TOKEN_HEADER} header; an unknown, expired ` +
  `(${GUEST_CART_TTL_DAYS} days unused) or merged token is 404 \`cart_not_found\`, and no credentials at all ` +
  'is 400 `cart_token_required`.';

export function cartRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Cart'];
  return new ApiRouter('/api/v1/cart')
    .add({
      method: 'post',
      path: '/',
      summary: 'Start a guest cart',
      description: `Answers the new cart and its token (also in the ${CART_TOKEN_HEADER} response header). Only a hash of the token is stored: keep it.`,
      tags,
      access: 'public',
      status: 201,
      response: newCartSchema,
      handler: async ({ res }) => {
        const created = await cart.createGuestCart(ctx.db);
        res.setHeader(CART_TOKEN_HEADER, created.token);
        return created;
      },
    })
    .add({
      method: 'get',
      path: '/',
      summary: "The caller's cart, priced from the catalog now",
      description: `${WHOSE} Lines that cannot be bought stay listed with \`available: false\` and a warning, outside the subtotal.`,
      tags,
      access: 'public',
      response: cartSchema,
      errors: [400, 404],
      handler: ({ auth, req }) => cart.getCart(ctx.db, cartOwner(auth, req)),
    })
    .add({
      method: 'post',
      path: '/items',
      summary: 'Add a variant (sums with an existing line)',
      description:
        `${WHOSE} 409 \`out_of_stock\` when the line would pass what is in stock; 422 \`quantity_limit_exceeded\` ` +
        'past 99 on one line, `cart_full` for a 101st line, `variant_unavailable` for an unknown, draft or archived variant. ' +
        'A refused add changes nothing.',
      tags,
      access: 'public',
      body: addCartItemBody,
      response: cartSchema,
      errors: [400, 404, 409],
      handler: ({ auth, req, body }) => cart.addItem(ctx.db, cartOwner(auth, req), body),
    })
    .add({
      method: 'patch',
      path: '/items/:variantId',
      summary: "Set a line's quantity (0 removes it)",
      description: `${WHOSE} Lowering always works; raising needs the variant for sale and in stock.`,
      tags,
      access: 'public',
      params: variantIdParam,
      body: updateCartItemBody,
      response: cartSchema,
      errors: [400, 404, 409],
      handler: ({ auth, req, params, body }) =>
        cart.setQuantity(ctx.db, cartOwner(auth, req), params.variantId, body.quantity),
    })
    .add({
      method: 'delete',
      path: '/items/:variantId',
      summary: 'Remove a line',
      description: `${WHOSE} A line that is not in the cart is 404 \`cart_item_not_found\`.`,
      tags,
      access: 'public',
      params: variantIdParam,
      response: cartSchema,
      errors: [400, 404],
      handler: ({ auth, req, params }) => cart.removeItem(ctx.db, cartOwner(auth, req), params.variantId),
    })
    .add({
      method: 'post',
      path: '/merge',
      summary: "Merge a guest cart into the signed-in member's cart",
      description:
        `Needs both a Bearer token and ${CART_TOKEN_HEADER} (400 \`merge_credentials_required\` otherwise). ` +
        'Quantities sum, capped by stock and by 99 per line, with a `quantity_capped` warning per capped line ' +
        "(`cart_full` for lines past the 100-line limit). The guest token then stops working; the same member's " +
        'replay answers their cart unchanged, anyone else gets 404.',
      tags,
      access: 'public',
      response: cartSchema,
      errors: [400, 404],
      handler: ({ auth, req }) => {
        const token = guestToken(req);
        if (!auth || !token) {
          const missing = [auth ? null : 'a Bearer token', token ? null : CART_TOKEN_HEADER].filter(Boolean);
          throw new AppError('merge_credentials_required', `Merging needs ${missing.join(' and ')}`);
        }
        return mergeGuestCart(ctx.db, auth.userId, token);
      },
    });
}
