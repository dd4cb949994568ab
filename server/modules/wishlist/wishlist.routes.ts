import { cartSchema } from '../../../shared/api/cart.schemas.js';
import { moveToCartBody, productIdParam, wishlistSchema } from '../../../shared/api/wishlist.schemas.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import * as wishlist from './wishlist.service.js';

export function wishlistRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Wishlist'];
  return new ApiRouter('/api/v1/me/wishlist')
    .add({
      method: 'get',
      path: '/',
      summary: "The member's wishlist, newest first",
      description: 'Archived products stay listed with `available: false` and `unavailableReason: not_for_sale`.',
      tags,
      access: 'user',
      response: wishlistSchema,
      handler: async ({ auth }) => ({ items: await wishlist.listWishlist(ctx.db, auth.userId) }),
    })
    .add({
      method: 'put',
      path: '/:productId',
      summary: 'Add a product (idempotent)',
      description:
        'Always 204, whether the product was added now or already listed (its `addedAt` then stays). ' +
        'Unknown or unpublished products are 404; 422 `wishlist_full` past 100 products.',
      tags,
      access: 'user',
      params: productIdParam,
      status: 204,
      errors: [404],
      handler: ({ auth, params }) => wishlist.addToWishlist(ctx.db, auth.userId, params.productId),
    })
    .add({
      method: 'delete',
      path: '/:productId',
      summary: 'Remove a product (idempotent)',
      description: 'Always 204, listed or not.',
      tags,
      access: 'user',
      params: productIdParam,
      status: 204,
      handler: ({ auth, params }) => wishlist.removeFromWishlist(ctx.db, auth.userId, params.productId),
    })
    .add({
      method: 'post',
      path: '/:productId/move-to-cart',
      summary: "Move a product to the member's cart",
      description:
        "Adds `quantity` (default 1) of one of the product's variants to the member's cart and removes the product " +
        'from the wishlist, together: when the cart refuses (the same errors as POST /api/v1/cart/items), the ' +
        'wishlist is unchanged. 404 when the product is not in the wishlist.',
      tags,
      access: 'user',
      params: productIdParam,
      body: moveToCartBody,
      response: cartSchema,
      errors: [404, 409],
      handler: ({ auth, params, body }) => wishlist.moveToCart(ctx.db, auth.userId, params.productId, body),
    });
}
