// How the fake API server applies the three patch types of the Kubernetes
// API (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, the rest replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key] ?? null, value);
  }
  return result;
}

/**
 * Strategic merge patch, for the lists the pod template has: lists of
 * objects with a `name` (containers, env, ports by name, volumes) merge by
 * name; other lists are replaced. `$patch` directives are not supported.
 */
export function applyStrategicMergePatch(target: Json, patch: Json): Json {
  if (Array.isArray(patch) && Array.isArray(target)) {
    const named = (list: Json[]) =>
      list.every(item => isObject(item) && typeof item.name === 'string');
    if (named(patch) && named(target)) {
      const merged = target.map(item => {
        const change = patch.find(
          p =>
            (p as Record<string, Json>).name ===
            (item as Record<string, Json>).name,
        );
        return change ? applyStrategicMergePatch(item, change) : item;
      });
      for (const item of patch) {
        const name = (item as Record<string, Json>).name;
        if (!target.some(t => (t as Record<string, Json>).name === name)) {
          merged.push(item);
        }
      }
      return merged;
    }
    return patch;
  }
  if (!isObject(patch)) return patch;
  if (Object.keys(patch).some(k => k.startsWith('$'))) {
    throw new Error(
      'strategic merge patch directives ($patch, $retainKeys, ...) are not supported by the fake',
    );
  }
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyStrategicMergePatch(result[key] ?? null, value);
  }
  return result;
}

export class TestFailed extends Error {
  constructor(path: string) {
    super(`the test operation on ${path} failed`);
  }
}

function pointer(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 JSON patch (add, remove, replace, test), as kubectl's rollback sends. */
export function applyJsonPatch(
  target: Json,
  operations: Array<{ op: string; path: string; value?: Json }>,
): Json {
  let document = JSON.parse(JSON.stringify(target)) as Json;
  for (const { op, path, value } of operations) {
    const parts = pointer(path);
    if (parts.length === 0) {
      if (op === 'test') {
        if (JSON.stringify(document) !== JSON.stringify(value))
          throw new TestFailed(path);
        continue;
      }
      document = op === 'remove' ? null : (value as Json);
      continue;
    }
    let parent: Json = document;
    for (const part of parts.slice(0, -1)) {
      parent = (parent as Record<string, Json>)?.[part];
      if (parent === undefined || parent === null) {
        throw new Error(`path ${path} does not exist`);
      }
    }
    const last = parts[parts.length - 1];
    const container = parent as Record<string, Json>;
    switch (op) {
      case 'test':
        if (JSON.stringify(container[last]) !== JSON.stringify(value))
          throw new TestFailed(path);
        break;
      case 'remove':
        if (Array.isArray(container)) container.splice(Number(last), 1);
        else delete container[last];
        break;
      case 'add':
        if (Array.isArray(container)) {
          container.splice(
            last === '-' ? container.length : Number(last),
            0,
            value as Json,
          );
        } else container[last] = value as Json;
        break;
      case 'replace':
        if (!(last in container))
          throw new Error(`path ${path} does not exist`);
        container[last] = value as Json;
        break;
      default:
        throw new Error(`unsupported JSON patch operation '${op}'`);
    }
  }
  return document;
}
