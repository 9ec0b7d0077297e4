/**
 * How items become DynamoDB attribute values, for the document client (client.ts) and anything else
 * that marshals items.
 *
 * `convertClassInstanceToMap`: the marshaller tells a plain object from a class instance by
 * `value.constructor.name`, and a client's free-form map with a key named `constructor` (survey answers,
 * mental-state indicators) shadows exactly that, so without it such a map is refused as "Unsupported
 * type" — a 500 for a valid request. Our items are plain data built from JSON and strings, so nothing
 * else reaches that branch.
 */
export const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: true } as const;
