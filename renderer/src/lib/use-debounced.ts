import { useEffect, useState } from 'react';

/** `value`, once it has stayed the same for `ms`: a search box then asks the host once per pause, not per key. */
export function useDebounced<T>(value: T, ms = 150): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
