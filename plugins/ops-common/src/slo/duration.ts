/**
 * Prometheus durations (`5m`, `1h`, `30d`, `4w`), the unit every SLO window
 * and alert window is written in.
 */

const UNIT_SECONDS: Record<string, number> = {
  y: 365 * 24 * 3600,
  w: 7 * 24 * 3600,
  d: 24 * 3600,
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
};

// The grammar of Prometheus' model.ParseDuration: units from largest to
// smallest, each at most once, integers only.
const DURATION_PATTERN =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const PATTERN_UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/**
 * Parses a Prometheus duration into seconds; `undefined` when the text is not
 * one or is zero.
 *
 * @public
 */
export function parsePromDuration(text: string): number | undefined {
  if (typeof text !== 'string' || text === '') {
    return undefined;
  }
  const match = DURATION_PATTERN.exec(text);
  if (!match) {
    return undefined;
  }
  let seconds = 0;
  PATTERN_UNITS.forEach((unit, index) => {
    const value = match[index + 1];
    if (value !== undefined) {
      seconds += Number(value) * UNIT_SECONDS[unit];
    }
  });
  return seconds > 0 ? seconds : undefined;
}

/**
 * Formats seconds as Prometheus' model.Duration.String() does: years and weeks
 * only when they divide the duration exactly (so 30 days is `30d` and 28 days
 * is `4w`). Sloth names its recording rules with this formatting, so OpsDeck
 * must use the same to find them.
 *
 * @public
 */
export function formatPromDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms <= 0) {
    return '0s';
  }
  let text = '';
  const take = (unit: string, exact: boolean) => {
    const mult = Math.round(UNIT_SECONDS[unit] * 1000);
    if (exact && ms % mult !== 0) {
      return;
    }
    const count = Math.floor(ms / mult);
    if (count > 0) {
      text += `${count}${unit}`;
      ms -= count * mult;
    }
  };
  take('y', true);
  take('w', true);
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    take(unit, false);
  }
  return text;
}
