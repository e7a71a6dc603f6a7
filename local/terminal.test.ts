import { describe, expect, it } from 'vitest'
import { wantsColour } from './terminal'

describe('wantsColour', () => {
  it('colours a terminal only, and never when NO_COLOR is set to anything', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true)
    expect(wantsColour({ isTTY: false }, {})).toBe(false)
    expect(wantsColour({}, {})).toBe(false)
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(wantsColour({ isTTY: true }, { NO_COLOR: 'false' })).toBe(false)
    // The convention: an empty NO_COLOR is as if it were not set
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true)
  })
})
