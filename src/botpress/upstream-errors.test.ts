import { describe, expect, it } from 'vitest'
import { retryAfterSeconds } from './upstream-errors'

describe('retryAfterSeconds', () => {
  it('reads delta-seconds', () => {
    expect(retryAfterSeconds('1')).toBe(1)
    expect(retryAfterSeconds('30')).toBe(30)
    expect(retryAfterSeconds('120')).toBe(120)
    expect(retryAfterSeconds(' 45 ')).toBe(45)
    expect(retryAfterSeconds('007')).toBe(7)
  })

  it('reads an HTTP date as the seconds from now, rounded up', () => {
    // An HTTP date has whole seconds: 120 s from now is 119-120 s away once the milliseconds are dropped.
    const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString()
    expect(retryAfterSeconds(inTwoMinutes)).toBeGreaterThanOrEqual(119)
    expect(retryAfterSeconds(inTwoMinutes)).toBeLessThanOrEqual(120)
    const inTenMinutes = new Date(Date.now() + 600_000).toUTCString()
    expect(retryAfterSeconds(inTenMinutes)).toBeGreaterThanOrEqual(599)
    expect(retryAfterSeconds(inTenMinutes)).toBeLessThanOrEqual(600)
  })

  it('takes a date in the past, or now, as the minimum of 1 s', () => {
    expect(retryAfterSeconds(new Date(Date.now() - 60_000).toUTCString())).toBe(1)
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(1)
  })

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number (not a header value)', 30],
    ['an empty string', ''],
    ['blanks', '   '],
    ['garbage', 'soon'],
    ['a negative number', '-5'],
    ['a fraction', '1.5'],
    ['an exponent', '1e3'],
    ['an invalid date', 'Wed, 99 Foo 2015 07:28:00 GMT'],
  ])('answers 1 for %s', (_case, value) => {
    expect(retryAfterSeconds(value)).toBe(1)
  })

  it('clamps to at least 1 s and at most one hour', () => {
    expect(retryAfterSeconds('0')).toBe(1)
    expect(retryAfterSeconds('3600')).toBe(3600)
    expect(retryAfterSeconds('3601')).toBe(3600)
    expect(retryAfterSeconds('86400')).toBe(3600)
    expect(retryAfterSeconds('99999999999999999999999')).toBe(3600)
    expect(retryAfterSeconds(new Date(Date.now() + 7 * 86_400_000).toUTCString())).toBe(3600)
  })

  it('always answers a whole number of seconds', () => {
    for (const value of ['1', '59', new Date(Date.now() + 1_500).toUTCString(), 'x', '0']) {
      expect(Number.isInteger(retryAfterSeconds(value))).toBe(true)
    }
  })
})
