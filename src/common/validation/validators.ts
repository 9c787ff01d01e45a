import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { isCommonPassword } from '../../security/common-passwords';

/**
 * bcrypt reads only the first 72 bytes of a password and silently ignores the
 * rest, so longer passwords are refused instead of truncated (ASVS 6.2.8).
 */
export function MaxUtf8Bytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'maxUtf8Bytes',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [max],
      options: { message: `$property must be at most ${max} bytes (fewer characters if you use accents or emoji)`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Buffer.byteLength(value, 'utf8') <= max,
      },
    });
}

/** The value must differ, ignoring case, from another property of the same object. */
export function DiffersFrom(property: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'differsFrom',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [property],
      options: { message: `$property must not be the same as the ${property}`, ...options },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const other = (args.object as Record<string, unknown>)[property];
          return typeof value !== 'string' || typeof other !== 'string' || value.toLowerCase() !== other.toLowerCase();
        },
      },
    });
}

/** Refuses passwords from the shipped list of the most common ones (ASVS 6.2.4). */
export function NotCommonPassword(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notCommonPassword',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property is too common', ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || !isCommonPassword(value) },
    });
}
