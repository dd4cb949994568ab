/** Reading fields of a stored wire row (`data` JSON) with the fallback the server's column default would give. */
export type Json = Record<string, unknown>;

export const parseJson = (text: unknown): Json => JSON.parse(text as string) as Json;
export const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
export const num = (value: unknown, fallback = 0): number => (typeof value === 'number' ? value : fallback);
export const orNull = <T>(value: unknown): T | null => (value ?? null) as T | null;
