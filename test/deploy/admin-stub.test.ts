import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root, startProgram, type RunningProgram } from '../helpers/processes'

// The admin API stub prints the `bp deploy` command to try the real CLI against it. Pasted as printed into a shell, in
// another folder, it must run `bp deploy` on this project against the stub, with a home of its own (the README's
// --botpressHome): a `bp` on PATH that records what it was given stands in for the CLI, which needs the registry.

let stub: RunningProgram
let folder: string
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'admin-stub-'))
  stub = startProgram(process.execPath, ['--import', 'tsx', 'local/admin-stub.ts'])
  await stub.waitFor(/npx @botpress\/cli@5\.5\.6 deploy .*\n/)
})
afterAll(async () => {
  await stub.stop()
  rmSync(folder, { recursive: true, force: true })
})

/** Runs a printed command line in bash from `folder`, with a fake `bp` first on PATH; returns what `bp` was given */
const runAsPasted = (commandLine: string) => {
  const record = join(folder, 'bp-call.json')
  const fakeBp = join(folder, 'bin', 'bp')
  mkdirSync(join(folder, 'bin'), { recursive: true })
  writeFileSync(
    fakeBp,
    `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(record)}, ` +
      'JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }))\n'
  )
  chmodSync(fakeBp, 0o755)
  const run = spawnSync('bash', ['-c', commandLine], {
    cwd: folder,
    env: { ...process.env, PATH: `${join(folder, 'bin')}:${process.env.PATH}` },
    encoding: 'utf8',
  })
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(readFileSync(record, 'utf8')) as { argv: string[]; cwd: string }
}

/** The value after `--name` in an argv */
const option = (argv: string[], name: string) => argv[argv.indexOf(name) + 1]

describe('local/admin-stub.ts', () => {
  it('prints a whole bp deploy command: this project, the stub, a throw-away --botpressHome, a dry run', async () => {
    const [, url] = /Admin API stub on (http:\/\/127\.0\.0\.1:\d+)/.exec(stub.output()) ?? []
    const [commandLine] = /^ {2}bp deploy .*$/m.exec(stub.output()) ?? []
    expect(url && commandLine, stub.output()).toBeTruthy()

    const { argv } = runAsPasted(commandLine!)
    expect(argv[0]).toBe('deploy')
    expect(argv).toContain('--dryRun')
    expect(option(argv, '--apiUrl')).toBe(url)
    expect(option(argv, '--workDir')).toBe(root)
    const home = option(argv, '--botpressHome')!
    expect(home).toBeTruthy()
    expect(home.startsWith(join(homedir(), '.botpress'))).toBe(false)
    // A fresh, empty folder: no login of the user's read or overwritten
    expect(readdirSync(home)).toEqual([])
    rmSync(home, { recursive: true, force: true })

    // The stub at that URL answers what the CLI asks first: the workspace, with its handle
    const workspace = await fetch(`${url}/v1/admin/workspaces/${option(argv, '--workspaceId')}`)
    expect(workspace.status).toBe(200)
    expect(((await workspace.json()) as { handle: string }).handle).toBe('my-workspace')
  })

  it('prints the same command for npx, without a global install', () => {
    const [bp] = /^ {2}bp deploy (.*)$/m.exec(stub.output())!.slice(1)
    const [npx] = /^ {2}npx @botpress\/cli@5\.5\.6 deploy (.*)$/m.exec(stub.output())!.slice(1)
    expect(npx).toBe(bp)
  })
})
