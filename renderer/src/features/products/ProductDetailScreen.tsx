import { useParams } from 'wouter';
import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the product editor replaces this placeholder.
export function ProductDetailScreen() {
  const { id } = useParams<{ id: string }>();
  return <ComingSoon title="Product">{`The editor for product ${id} is being built.`}</ComingSoon>;
}
