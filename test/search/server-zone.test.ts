/**
 * PROTOCOL-CORNERS (SEARCH): BEFORE/ON/SINCE compare the internal date as a calendar date in
 * the server's time zone (RFC 3501 6.4.4), not in UTC. Runs under a zone far from UTC so a
 * UTC-based implementation fails here.
 */
process.env.TZ = 'Pacific/Kiritimati'; // UTC+14, no DST
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareDate, localDateKey } from '../../core/search/dates.ts';

test('the internal date is taken in the server zone', () => {
  // 12:00 UTC on 1 Jan is 02:00 on 2 Jan in UTC+14.
  const ms = Date.UTC(2024, 0, 1, 12, 0, 0);
  assert.is(localDateKey(ms), '2024-01-02');
  assert.ok(compareDate(localDateKey(ms), 'on', '2024-01-02'));
  assert.not.ok(compareDate(localDateKey(ms), 'on', '2024-01-01'));
  assert.ok(compareDate(localDateKey(ms), 'since', '2024-01-02'));
  assert.ok(compareDate(localDateKey(ms), 'before', '2024-01-03'));
});

test.run();
