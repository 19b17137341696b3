/** The explicit list of checks. A test keeps it in step with the files in checks/ and the README table. */
import { dangerousTrigger } from '../checks/dangerous-trigger.js';
import { excessivePermissions } from '../checks/excessive-permissions.js';
import { missingPermissions } from '../checks/missing-permissions.js';
import { missingProvenance } from '../checks/missing-provenance.js';
import { mutableInternalRef } from '../checks/mutable-internal-ref.js';
import { persistCredentials } from '../checks/persist-credentials.js';
import { templateInjection } from '../checks/template-injection.js';
import { unpinnedUses } from '../checks/unpinned-uses.js';
import type { Check } from './check.js';

export const CHECKS: readonly Check[] = [
  missingPermissions,
  excessivePermissions,
  unpinnedUses,
  mutableInternalRef,
  persistCredentials,
  dangerousTrigger,
  templateInjection,
  missingProvenance,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
