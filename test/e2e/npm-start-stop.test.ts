import { describe, expect, it, onTestFinished } from 'vitest'
import { procStat } from '../../local/process-tree'
import { printedPort, startProgram } from '../helpers/processes'
import { commandLine, descendants, portIsFree, stillRunningAfter } from '../helpers/process-tree'

// `npm start` exactly as a person or a process manager runs it: npm, the shell npm runs the script in, tsx's CLI, the
// node process of the local runtime and the integration process below it. `launch` may start npm under a parent of
// its own; every process below the launched one is the tree.
const npmStart = async (launch = () => startProgram('npm', ['start', '--', '--port', '0'])) => {
  const app = launch()
  let tree: number[] = []
  // A failed test must not leave a process behind for the next ones
  onTestFinished(() => {
    for (const pid of [app.child.pid!, ...tree]) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone already
      }
    }
  })
  const port = printedPort(await app.waitFor(/Ctrl-C stops everything/, { timeoutMs: 60_000 }))
  tree = [app.child.pid!, ...descendants(app.child.pid!)]
  const integration = tree.find((pid) => commandLine(pid).includes('.default.start('))
  expect(integration, tree.map(commandLine).join('\n')).toBeDefined()
  expect(await portIsFree(port)).toBe(false)
  return { app, port, tree, integration: integration! }
}

describe.runIf(process.platform === 'linux')('npm start stops as a whole', () => {
  // SIGKILL cannot be handled: the runtime sees npm gone and stops by itself
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGKILL'] as const)(
    '%s to the npm process stops every process it started and frees the port',
    async (signal) => {
      const { app, port, tree } = await npmStart()
      expect(tree.length).toBeGreaterThanOrEqual(4)
      app.child.kill(signal)
      expect(await stillRunningAfter(tree, 10_000), app.output()).toEqual([])
      expect(await portIsFree(port)).toBe(true)
    },
    90_000
  )

  it('the integration process exits when the runtime that started it is killed (SIGKILL, no clean-up)', async () => {
    const { port, tree, integration } = await npmStart()
    const runtimePid = tree.find((pid) => descendants(pid).includes(integration) && descendants(pid).length === 1)
    expect(runtimePid).toBeDefined()
    process.kill(runtimePid!, 'SIGKILL')
    expect(await stillRunningAfter(tree, 10_000)).toEqual([])
    expect(await portIsFree(port)).toBe(true)
  }, 90_000)

  it('SIGKILL to npm stops everything also under a parent that never reaps it (npm stays a zombie)', async () => {
    // sh starts npm in the background, then becomes `sleep`, which never waits for a child: a killed npm stays a
    // zombie, which must count as gone
    const { app, port, tree } = await npmStart(() =>
      startProgram('sh', ['-c', 'npm start -- --port 0 & exec sleep 600'])
    )
    const npm = tree.find((pid) => procStat(pid)?.ppid === app.child.pid)
    expect(npm && commandLine(npm), tree.map(commandLine).join('\n')).toMatch(/npm/)
    process.kill(npm!, 'SIGKILL')
    const below = tree.filter((pid) => pid !== app.child.pid && pid !== npm)
    expect(below.length).toBeGreaterThanOrEqual(3)
    expect(await stillRunningAfter(below, 10_000), app.output()).toEqual([])
    expect(await portIsFree(port)).toBe(true)
    // What the test is about: npm was not reaped, it is a zombie
    expect(procStat(npm!)?.state).toBe('Z')
  }, 90_000)
})
