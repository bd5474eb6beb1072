/** Date keys for SEARCH: Date: header parsing and local calendar dates. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareDate, headerDateKey, localDateKey } from '../../core/search/dates.ts';

test('Date: header, own date regardless of zone and time', () => {
  assert.is(headerDateKey('Fri, 04 Mar 2022 23:30:00 -0500'), '2022-03-04');
  assert.is(headerDateKey('4 Mar 2022 01:00 +1400'), '2022-03-04');
  assert.is(headerDateKey('Mon, 7 Feb 1994 21:52:25 -0800 (PST)'), '1994-02-07');
  assert.is(headerDateKey('Thursday, 3-Mar-22 10:00:00 GMT'), '2022-03-03');
  assert.is(headerDateKey('1 jan 99 00:00'), '1999-01-01');
  assert.is(headerDateKey('1 Jan 103 00:00'), '2003-01-01');
});

test('unusable Date: values give null', () => {
  assert.is(headerDateKey(''), null);
  assert.is(headerDateKey('yesterday'), null);
  assert.is(headerDateKey('32 Jan 2020'), null);
  assert.is(headerDateKey('1 Foo 2020'), null);
});

test('local date key and comparisons', () => {
  assert.is(localDateKey(new Date(2021, 11, 31, 23, 59).getTime()), '2021-12-31');
  assert.is(localDateKey(Number.NaN), '0000-00-00');
  assert.ok(compareDate('2022-03-04', 'before', '2022-03-05'));
  assert.not.ok(compareDate('2022-03-05', 'before', '2022-03-05'));
  assert.ok(compareDate('2022-03-05', 'on', '2022-03-05'));
  assert.ok(compareDate('2022-03-05', 'since', '2022-03-05'));
  assert.not.ok(compareDate('2022-03-04', 'since', '2022-03-05'));
});

test.run();
