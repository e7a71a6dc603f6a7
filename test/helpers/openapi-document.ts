// openapi.yaml as the test helpers read it: the parsed document and ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses).
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export type Schema = Record<string, unknown>
export type Parameter = { name: string; in: string; required?: boolean; schema: Schema }
export type Content = Record<string, { schema: Schema }>
export type Response = { headers?: Record<string, { required?: boolean; schema: Schema }>; content?: Content }
export type Operation = {
  parameters?: Parameter[]
  requestBody?: { content: Content }
  responses: Record<string, Response>
}
export type HeaderBag = Headers | Record<string, string | string[] | undefined>

/** openapi.yaml parsed, with a validator of any schema in it (its `$ref`s resolved within the document). */
export const loadDocument = (file = join(__dirname, '..', '..', 'openapi.yaml')) => {
  const document = parse(readFileSync(file, 'utf8')) as Schema & {
    paths: Record<string, Record<string, Operation>>
    webhooks: Record<string, Record<string, Operation>>
  }
  // Lengths count UTF-16 code units, as the integration (JavaScript) counts them; ajv calls that option deprecated,
  // yet it is the only way to say so.
  const warn = (message: unknown, ...rest: unknown[]) =>
    String(message).includes('option unicode') || console.warn(message, ...rest)
  const logger = { log: console.log, warn, error: console.error }
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicode: false, logger })
  addFormats(ajv)
  ajv.addSchema(document, 'openapi')
  const validators = new WeakMap<Schema, ValidateFunction>()
  const validate = (schema: Schema, value: unknown, what: string): string[] => {
    let check = validators.get(schema)
    if (!check) {
      check = ajv.compile(rebase(schema))
      validators.set(schema, check)
    }
    if (check(value)) return []
    const problems = (check.errors ?? []).map(({ instancePath, message, params }) => {
      const property = params.additionalProperty ?? params.unevaluatedProperty
      return `${what}${instancePath} ${message}${property === undefined ? '' : `: ${property}`}`
    })
    return [[...new Set(problems)].join('; ')]
  }
  const resolve = <T>(value: T): T => {
    const target = (value as { $ref?: string }).$ref
    return target ? (pointer(document, target) as T) : value
  }
  return { document, validate, resolve }
}

// A schema inside the document refers to `#/...`: once compiled on its own, that means the document added as `openapi`.
const rebase = (value: unknown): any =>
  Array.isArray(value)
    ? value.map(rebase)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.entries(value).map(([key, inner]) => [
            key,
            key === '$ref' && typeof inner === 'string' ? `openapi${inner}` : rebase(inner),
          ])
        )
      : value

const pointer = (root: unknown, ref: string): unknown =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: any, part) => node?.[part], root)
