// Two schema shapes TypeBox has no builder for, written once here.
import { type TSchema, Type } from '@sinclair/typebox'

/** One of some strings, as a JSON Schema `enum`: its errors list the allowed values ("higher, lower"). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })

/** A value or null. */
export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) => Type.Union([schema, Type.Null()], options)
