import { useParams } from 'wouter';
import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the order detail (timeline, fulfil, cancel, notes) replaces this placeholder.
export function OrderDetailScreen() {
  const { id } = useParams<{ id: string }>();
  return <ComingSoon title="Order">{`The detail of order ${id} is being built.`}</ComingSoon>;
}
