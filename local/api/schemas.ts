import Ajv, { type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { runtimeOpenApi } from './openapi'

export type Validator = { validate: (value: unknown) => boolean; errors: () => string }

let ajv: Ajv | undefined
const validators = new Map<string, ValidateFunction>()

// The whole OpenAPI document is one schema; each body schema is compiled by reference into it
const compile = (pointer: string): Validator => {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true })
    addFormats(ajv)
    ajv.addSchema(runtimeOpenApi(), 'openapi')
  }
  let validate = validators.get(pointer)
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi#${pointer}` })
    validators.set(pointer, validate)
  }
  const fn = validate
  return { validate: (value) => fn(value), errors: () => ajv!.errorsText(fn.errors, { dataVar: 'body' }) }
}

const JSON_SCHEMA = 'content/application~1json/schema'

/** Validator of the request body of a runtime API operation, or undefined when the operation has no body */
export const requestBodyValidator = (operationId: string): Validator | undefined =>
  runtimeOpenApi().components.requestBodies?.[`${operationId}Body`]
    ? compile(`/components/requestBodies/${operationId}Body/${JSON_SCHEMA}`)
    : undefined

/** Compiles every route's request validator now, so that the first calls are not slowed down */
export const warmUp = (operationIds: string[]) => operationIds.forEach(requestBodyValidator)

export const responseBodyValidator = (operationId: string): Validator =>
  compile(`/components/responses/${operationId}Response/${JSON_SCHEMA}`)
