/**
 * A member of staff on the central server's admin API (API.md "Admin"), over real HTTP as another
 * tool or a colleague's browser would call it: signs in with e-mail and password for a bearer
 * token, then reads and patches products. What it changes reaches back-offices only through sync,
 * so a test can make the server's side of a concurrent edit without going through any device.
 */
import type { AdminProduct, ProductPatchInput } from '../../shared/api/catalog.schemas.js';

export interface AdminApi {
  product(id: string): Promise<AdminProduct>;
  patchProduct(id: string, patch: ProductPatchInput): Promise<AdminProduct>;
  /** DELETE archives: shoppers no longer see it, and devices' later edits of it are refused. */
  archiveProduct(id: string): Promise<AdminProduct>;
}

export async function adminApi(serverUrl: string, who: { email: string; password: string }): Promise<AdminApi> {
  const call = async <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${serverUrl}/api/v1${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // Fail with the server's own answer, so a refused call reads as such rather than as a missing value later.
    if (!response.ok) throw new Error(`admin API ${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  };
  const { accessToken } = await call<{ accessToken: string }>('POST', '/auth/login', who);
  return {
    product: (id) => call<AdminProduct>('GET', `/admin/products/${id}`, undefined, accessToken),
    patchProduct: (id, patch) => call<AdminProduct>('PATCH', `/admin/products/${id}`, patch, accessToken),
    archiveProduct: (id) => call<AdminProduct>('DELETE', `/admin/products/${id}`, undefined, accessToken),
  };
}
