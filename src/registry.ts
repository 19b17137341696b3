/** The explicit list of checks. A test keeps it in step with the files in checks/ and the README table. */
import { codeownersMissingWorkflows } from '../checks/codeowners-missing-workflows.js';
import { dangerousTrigger } from '../checks/dangerous-trigger.js';
import { dependabotInsecureExecution } from '../checks/dependabot-insecure-execution.js';
import { dependabotNoActions } from '../checks/dependabot-no-actions.js';
import { dependabotNoCooldown } from '../checks/dependabot-no-cooldown.js';
import { excessivePermissions } from '../checks/excessive-permissions.js';
import { expiredSuppression } from '../checks/expired-suppression.js';
import { goSumMissing } from '../checks/go-sum-missing.js';
import { missingPermissions } from '../checks/missing-permissions.js';
import { missingProvenance } from '../checks/missing-provenance.js';
import { missingSbom } from '../checks/missing-sbom.js';
import { mutableInternalRef } from '../checks/mutable-internal-ref.js';
import { noDco } from '../checks/no-dco.js';
import { noDependencyReview } from '../checks/no-dependency-review.js';
import { noDependencyUpdateTool } from '../checks/no-dependency-update-tool.js';
import { noGoModVerify } from '../checks/no-go-mod-verify.js';
import { noGovulncheck } from '../checks/no-govulncheck.js';
import { noScanGate } from '../checks/no-scan-gate.js';
import { noScorecard } from '../checks/no-scorecard.js';
import { noSecurityInsights } from '../checks/no-security-insights.js';
import { noSecurityPolicy } from '../checks/no-security-policy.js';
import { persistCredentials } from '../checks/persist-credentials.js';
import { renovateActionsNotPinned } from '../checks/renovate-actions-not-pinned.js';
import { renovateNoReleaseAge } from '../checks/renovate-no-release-age.js';
import { renovateVulnerabilityAlertsOff } from '../checks/renovate-vulnerability-alerts-off.js';
import { secretInBuildArgs } from '../checks/secret-in-build-args.js';
import { secretsInUntrustedTrigger } from '../checks/secrets-in-untrusted-trigger.js';
import { secretsInherit } from '../checks/secrets-inherit.js';
import { secretsOutsideEnvironment } from '../checks/secrets-outside-environment.js';
import { securityInsightsExpired } from '../checks/security-insights-expired.js';
import { securityInsightsInvalid } from '../checks/security-insights-invalid.js';
import { securityPolicyNoContact } from '../checks/security-policy-no-contact.js';
import { selfHostedOnUntrustedTrigger } from '../checks/self-hosted-on-untrusted-trigger.js';
import { staticCloudCredentials } from '../checks/static-cloud-credentials.js';
import { templateInjection } from '../checks/template-injection.js';
import { unpinnedUses } from '../checks/unpinned-uses.js';
import { unsignedImage } from '../checks/unsigned-image.js';
import { unpinnedImage } from '../checks/unpinned-image.js';
import { hardcodedContainerCredentials } from '../checks/hardcoded-container-credentials.js';
import { overprovisionedSecrets } from '../checks/overprovisioned-secrets.js';
import { githubEnvInjection } from '../checks/github-env-injection.js';
import { unsoundCondition } from '../checks/unsound-condition.js';
import { longLivedPublishToken } from '../checks/long-lived-publish-token.js';
import { cachePoisoning } from '../checks/cache-poisoning.js';
import { artifactPoisoning } from '../checks/artifact-poisoning.js';
import { agenticPromptInjection } from '../checks/agentic-prompt-injection.js';
import { defaultTokenWrite } from '../checks/default-token-write.js';
import { actionsCanApprovePrs } from '../checks/actions-can-approve-prs.js';
import { shaPinningNotRequired } from '../checks/sha-pinning-not-required.js';
import { forkPrApprovalWeak } from '../checks/fork-pr-approval-weak.js';
import { branchUnprotected } from '../checks/branch-unprotected.js';
import { workflowChangesUnreviewed } from '../checks/workflow-changes-unreviewed.js';
import { releasesMutable } from '../checks/releases-mutable.js';
import { environmentUnprotected } from '../checks/environment-unprotected.js';
import { impostorCommit } from '../checks/impostor-commit.js';
import { refVersionMismatch } from '../checks/ref-version-mismatch.js';
import { knownVulnerableAction } from '../checks/known-vulnerable-action.js';
import { noVulnerabilityAlerts } from '../checks/no-vulnerability-alerts.js';
import { noPrivateVulnerabilityReporting } from '../checks/no-private-vulnerability-reporting.js';
import { actionsLockMismatch } from '../checks/actions-lock-mismatch.js';
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
  unsignedImage,
  missingSbom,
  noScanGate,
  secretsOutsideEnvironment,
  secretsInUntrustedTrigger,
  secretsInherit,
  secretInBuildArgs,
  staticCloudCredentials,
  selfHostedOnUntrustedTrigger,
  noGovulncheck,
  noGoModVerify,
  goSumMissing,
  noDependencyReview,
  noScorecard,
  noDependencyUpdateTool,
  renovateVulnerabilityAlertsOff,
  renovateActionsNotPinned,
  renovateNoReleaseAge,
  dependabotNoActions,
  dependabotNoCooldown,
  dependabotInsecureExecution,
  noSecurityPolicy,
  securityPolicyNoContact,
  securityInsightsExpired,
  securityInsightsInvalid,
  noSecurityInsights,
  codeownersMissingWorkflows,
  noDco,
  expiredSuppression,
  unpinnedImage,
  hardcodedContainerCredentials,
  overprovisionedSecrets,
  githubEnvInjection,
  unsoundCondition,
  longLivedPublishToken,
  cachePoisoning,
  artifactPoisoning,
  agenticPromptInjection,
  defaultTokenWrite,
  actionsCanApprovePrs,
  shaPinningNotRequired,
  forkPrApprovalWeak,
  branchUnprotected,
  workflowChangesUnreviewed,
  releasesMutable,
  environmentUnprotected,
  impostorCommit,
  refVersionMismatch,
  knownVulnerableAction,
  noVulnerabilityAlerts,
  noPrivateVulnerabilityReporting,
  actionsLockMismatch,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
