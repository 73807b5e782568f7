/**
 * A map per owner object, forgotten with the owner. The request stores key
 * their maps by the OpsApi instance (one per app, one per test render) rather
 * than by the module, so that two apps or two tests never share answers.
 */
export function ownerStore<V>(): (owner: object) => Map<string, V> {
  const stores = new WeakMap<object, Map<string, V>>();
  return owner => {
    let store = stores.get(owner);
    if (!store) {
      store = new Map();
      stores.set(owner, store);
    }
    return store;
  };
}
