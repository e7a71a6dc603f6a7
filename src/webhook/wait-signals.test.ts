import { describe, expect, it } from 'vitest'
import { eventsActiveForMs, followsEvents, withCallerEvent } from './wait-signals'

describe('followsEvents', () => {
  it('only where the caller sent an event in the last 5 minutes', () => {
    expect(eventsActiveForMs).toBe(300_000)
    expect(followsEvents(undefined, 1_000_000)).toBe(false)
    expect(followsEvents(1_000_000 - 299_999, 1_000_000)).toBe(true)
    expect(followsEvents(1_000_000 - 300_000, 1_000_000)).toBe(false)
    // Botpress's clock a little ahead of this copy's
    expect(followsEvents(1_000_050, 1_000_000)).toBe(true)
  })
})

describe('withCallerEvent', () => {
  it('takes the newer of the caller’s latest message and latest event as its activity', () => {
    expect(withCallerEvent({}, undefined)).toEqual({})
    expect(withCallerEvent({}, 500)).toEqual({ callerActiveAt: 500 })
    expect(withCallerEvent({ callerActiveAt: 400, turnOpenSince: 450 }, 500)).toEqual({
      callerActiveAt: 500,
      turnOpenSince: 450,
    })
    expect(withCallerEvent({ callerActiveAt: 600 }, 500)).toEqual({ callerActiveAt: 600 })
    expect(withCallerEvent({ callerActiveAt: 600 }, undefined)).toEqual({ callerActiveAt: 600 })
  })
})
