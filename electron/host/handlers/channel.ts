/**
 * How a contract channel becomes a host handler: the raw input (whatever the renderer or the web
 * bridge sent) is parsed with the channel's own zod schema, then handed to one service call.
 */
import {
  backoffice,
  type ChannelArgs,
  type ChannelName,
  type ChannelOutput,
} from '../../../shared/contract/backoffice.js';
import { AppError } from '../../../shared/domain/errors.js';

export type Handler<K extends ChannelName> = (rawInput: unknown) => Promise<ChannelOutput<K>>;
export type Handlers = { [K in ChannelName]: Handler<K> };

/** The channel's parsed input, or `validation_failed` listing every zod issue by path. */
export function parseInput<K extends ChannelName>(name: K, rawInput: unknown): ChannelArgs<K> {
  const parsed = backoffice[name].input.safeParse(rawInput);
  if (parsed.success) return parsed.data as ChannelArgs<K>;
  throw new AppError('validation_failed', `invalid input for ${name}`, {
    errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}

export function bind<K extends ChannelName>(
  name: K,
  run: (input: ChannelArgs<K>) => ChannelOutput<K> | Promise<ChannelOutput<K>>,
): Handler<K> {
  return async (rawInput) => run(parseInput(name, rawInput));
}
