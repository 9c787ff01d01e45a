import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The ~49,000 most common passwords that zxcvbn-ts ships (MIT), kept in
 * memory: no network call, as ASVS 6.2.4 and 6.2.12 ask. Built on first use
 * so processes that never check a password never pay for it.
 */
let common: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set((dictionary['passwords-common']).map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}
