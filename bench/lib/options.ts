/**
 * Command-line options of a bench, checked with zod so a typo fails before minutes of seeding
 * rather than after. Valued flags (`--products N`) map to the schema's keys; switches (`--keep`)
 * are booleans of the same name; one preset switch (`--quick`, `--smoke`) starts from smaller
 * values, which any option given explicitly overrides. Every bench answers to `--quick`, which
 * `npm run bench -- --quick` passes: a bench whose preset has another name lists it as an alias.
 */
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { AppError } from '../../shared/domain/errors.js';

export interface BenchArgs<T extends z.ZodType> {
  schema: T;
  /** `--flag value` → schema key, e.g. `{ 'variants-per': 'variantsPer' }`. */
  flags: Readonly<Record<string, string>>;
  /** Boolean switches, named as their schema keys. */
  switches: readonly string[];
  /** Absent for a command whose `--quick` is a plain switch (the suite's: it only passes it on). */
  preset?: { name: string; aliases?: readonly string[]; values: Readonly<Record<string, string>> };
  usage: string;
}

/** Parses argv (without node and the script); throws `validation_failed` naming every bad option. */
export function parseBenchArgs<T extends z.ZodType>(argv: string[], spec: BenchArgs<T>): z.output<T> {
  const refuse = (errors: { path: string; message: string }[], message: string): never => {
    throw new AppError('validation_failed', `${message}\n${spec.usage}`, { errors });
  };
  const presetNames = spec.preset ? [spec.preset.name, ...(spec.preset.aliases ?? [])] : [];
  let values: Record<string, string | boolean | undefined> = {};
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        ...Object.fromEntries(Object.keys(spec.flags).map((flag) => [flag, { type: 'string' as const }])),
        ...Object.fromEntries([...presetNames, ...spec.switches].map((name) => [name, { type: 'boolean' as const }])),
      },
    }).values;
  } catch (error) {
    const message = (error as Error).message;
    refuse([{ path: 'argv', message }], message);
  }
  const input: Record<string, unknown> = presetNames.some((name) => values[name]) ? { ...spec.preset?.values } : {};
  for (const [flag, key] of Object.entries(spec.flags)) if (values[flag] !== undefined) input[key] = values[flag];
  for (const name of spec.switches) if (values[name] !== undefined) input[name] = values[name];
  const parsed = spec.schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const flagOf = (key: string) => Object.entries(spec.flags).find(([, k]) => k === key)?.[0] ?? key;
  const errors = parsed.error.issues.map((i) => ({ path: `--${flagOf(String(i.path[0]))}`, message: i.message }));
  return refuse(errors, errors.map((e) => `${e.path}: ${e.message}`).join('; '));
}
