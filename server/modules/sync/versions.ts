/** Protocol versions (SYNC.md rule 8): the current one and the one before; others get a 426. */
import { AppError } from '../../../shared/domain/errors.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../../../shared/sync/protocol.js';

export function assertProtocol(version: number): void {
  if (SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return;
  throw new AppError(
    'unsupported_protocol_version',
    `Protocol version ${version} is not supported; this server speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}. Update the back-office.`,
    { headers: { 'X-Sync-Protocol-Versions': SUPPORTED_PROTOCOL_VERSIONS.join(', ') } },
  );
}
