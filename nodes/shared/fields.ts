import { durationUnits, type VariableSpec } from '@convoflow/engine';
import { z } from 'zod';

/** Top-level names the triggers fill; a node saving under one would overwrite the trigger's data. */
export const reservedVariableRoots = ['contact', 'conversation', 'assignee', 'trigger', 'shortcut'] as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names templates refuse to look up, so a value saved under one would be silently lost. */
const OBJECT_INTERNALS = new Set(['__proto__', 'constructor', 'prototype']);

/** A variable name a node saves under, written without `$` (`rating` → `$rating`). */
export function variableName() {
  return z
    .string()
    .regex(IDENTIFIER, 'use letters, digits and "_", not starting with a digit (no "$")')
    .refine((name) => !(reservedVariableRoots as readonly string[]).includes(name), {
      message: `is reserved for trigger data (${reservedVariableRoots.join(', ')}): pick another name`,
    })
    .refine((name) => !OBJECT_INTERNALS.has(name), {
      message: 'names a JavaScript object internal, which a run cannot store: pick another name',
    });
}

/** A duration with editor metadata on each field (the engine's `Duration`, for forms). */
export function durationField() {
  return z.object({
    value: z.number().positive().meta({ title: 'Amount', description: 'How many units' }),
    unit: z.enum(durationUnits).meta({ title: 'Unit', description: 'seconds, minutes, hours or days' }),
  });
}

/** The contact's fields, which every trigger puts in the run's scope. */
export const contactVariables: readonly VariableSpec[] = [
  { name: 'contact.id', type: 'string' },
  { name: 'contact.name', type: 'string' },
  { name: 'contact.phone', type: 'string' },
  { name: 'contact.email', type: 'string' },
];
