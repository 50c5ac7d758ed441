/** A UTF-16 surrogate without its partner: a text no UTF-8 store can hold as it is. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether both durable stores keep `value` exactly as sent, within `maxLength` UTF-16 units. PostgreSQL
 * refuses NUL ("invalid byte sequence for encoding UTF8: 0x00"), and a lone surrogate has no UTF-8 form
 * (the drivers would store U+FFFD, another text); SQLite is held to the same, so both stores agree.
 */
export function storableText(value: string, maxLength = Infinity): boolean {
  return value.length <= maxLength && !value.includes('\0') && !LONE_SURROGATE.test(value);
}
