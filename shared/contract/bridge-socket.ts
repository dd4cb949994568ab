/**
 * The browser-mode WebSocket that carries channel calls (host: electron/host/web-socket.ts; page:
 * renderer/src/lib/socket-calls.ts). The page offers two subprotocols, BRIDGE_SOCKET_PROTOCOL and
 * `BRIDGE_SOCKET_SECRET_PREFIX + secret` (a page cannot set headers on a WebSocket); the host picks
 * the first.
 */
export const BRIDGE_SOCKET_PATH = '/api/socket';
export const BRIDGE_SOCKET_PROTOCOL = 'nexus.bridge.1';
export const BRIDGE_SOCKET_SECRET_PREFIX = 'secret.';
/** Channel calls are small (the largest a product with its variants); image uploads go over HTTP. */
export const BRIDGE_SOCKET_MAX_BYTES = 1024 * 1024;
