// A progress indicator on stderr: one line per step, updated in place on a terminal
export type Progress = { step(label: string): void; tick(done: number, total: number): void; done(): void }

export const createProgress = (totalSteps: number): Progress => {
  const out = process.stderr
  const live = out.isTTY === true
  let step = 0
  let label = ''
  let lastPrinted = 0
  const startedAt = Date.now()
  const prefix = () => `[${step}/${totalSteps}] ${((Date.now() - startedAt) / 1000).toFixed(1)}s ${label}`
  const line = (text: string) => (live ? out.write(`\r\x1b[2K${text}`) : out.write(`${text}\n`))

  return {
    step: (next) => {
      if (live && step > 0) out.write('\n')
      step += 1
      label = next
      lastPrinted = 0
      line(prefix())
    },
    tick: (done, total) => {
      // Off a terminal, print a quarter at a time so logs stay short
      const quarter = Math.floor((done / total) * 4)
      if (live) line(`${prefix()} ${done}/${total}`)
      else if (quarter > lastPrinted) {
        lastPrinted = quarter
        line(`${prefix()} ${done}/${total}`)
      }
    },
    done: () => {
      if (live) out.write('\n')
      out.write(`done in ${((Date.now() - startedAt) / 1000).toFixed(1)}s\n`)
    },
  }
}
