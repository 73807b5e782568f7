import { SeverityLevel } from '@opsdeck/plugin-ops-common';

/** The `<option>`s of a native severity select: `SEV1 – Critical`, ... */
export function severityOptions(levels: SeverityLevel[] | undefined) {
  return levels?.map(level => (
    <option key={level.id} value={level.id}>
      {level.id} – {level.title}
    </option>
  ));
}
