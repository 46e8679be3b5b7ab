/** A value made on first use and kept (a compiled WebAssembly module, a lookup table): `const get = lazy(make)`. */
export function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
