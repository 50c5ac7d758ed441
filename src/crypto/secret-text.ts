import { z } from 'zod';

/** A secret in the configuration is key material as written: surrounding whitespace is a copy-paste slip, refused rather than used. */
export const secretText = (min: number, message?: string) => z.string().min(min, message).refine((value) => value === value.trim(), 'has surrounding whitespace (a space or line break before or after it)');
