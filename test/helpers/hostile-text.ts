import fc from 'fast-check';

/** Characters from harmless to what a UTF-8 database cannot take: NUL, control characters, both halves of a surrogate pair alone. */
const hostileUnit = fc.oneof(
  fc.constantFrom('\0', '\u0001', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '😀', 'æ', 'a', '.', ' '),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

/** Texts a user might send: short ones of those characters, or long ones around the 200-character limits. */
export const hostileText = fc.oneof(fc.string({ unit: hostileUnit, maxLength: 30 }), fc.string({ minLength: 190, maxLength: 260 }));
