import { v7, validate, version } from 'uuid';

/** UUIDv7: time-sortable, so the back-office can mint ids offline that still index well. */
export const newId = (): string => v7();

export const isUuid = (value: string): boolean => validate(value);

export const isUuidV7 = (value: string): boolean => validate(value) && version(value) === 7;
