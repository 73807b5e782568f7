// Kubernetes label selectors as the API server parses them from
// `?labelSelector=`: equality (`a=b`, `a==b`, `a!=b`), set (`a in (x,y)`,
// `a notin (x,y)`) and existence (`a`, `!a`) requirements, comma-separated.

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'absent' };

export function parseSelector(selector: string): Requirement[] {
  const requirements: Requirement[] = [];
  // split on commas outside parentheses
  const parts = selector.match(/(?:[^,(]|\([^)]*\))+/g) ?? [];
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    const equality = part.match(/^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/);
    const set = part.match(/^([^\s]+)\s+(in|notin)\s+\(([^)]*)\)$/);
    const absent = part.match(/^!([^\s]+)$/);
    if (equality) {
      requirements.push({
        key: equality[1],
        op: equality[2] === '!=' ? 'notin' : 'in',
        values: [equality[3]],
      });
    } else if (set) {
      requirements.push({
        key: set[1],
        op: set[2] as 'in' | 'notin',
        values: set[3].split(',').map(v => v.trim()),
      });
    } else if (absent) {
      requirements.push({ key: absent[1], op: 'absent' });
    } else if (/^[^\s!=(),]+$/.test(part)) {
      requirements.push({ key: part, op: 'exists' });
    } else {
      throw new Error(`unable to parse requirement: ${part}`);
    }
  }
  return requirements;
}

export function matchesSelector(
  requirements: Requirement[],
  labels: Record<string, string>,
): boolean {
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'absent':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]);
      default:
        return false;
    }
  });
}
