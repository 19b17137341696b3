/** Which `${{ }}` context paths carry text that someone outside the project controls. */
import { segmentsMatch } from '../model/expressions.js';

const ATTACKER_CONTROLLED = [
  'github.head_ref',
  'github.event.issue.title',
  'github.event.issue.body',
  'github.event.pull_request.title',
  'github.event.pull_request.body',
  'github.event.pull_request.head.ref',
  'github.event.pull_request.head.label',
  'github.event.pull_request.head.repo.default_branch',
  'github.event.pull_request.head.repo.description',
  'github.event.pull_request.head.repo.homepage',
  'github.event.comment.body',
  'github.event.review.body',
  'github.event.review_comment.body',
  'github.event.discussion.title',
  'github.event.discussion.body',
  'github.event.pages.*.page_name',
  'github.event.commits.*.message',
  'github.event.commits.*.author.email',
  'github.event.commits.*.author.name',
  'github.event.commits.*.committer.email',
  'github.event.commits.*.committer.name',
  'github.event.head_commit.message',
  'github.event.head_commit.author.email',
  'github.event.head_commit.author.name',
  'github.event.head_commit.committer.email',
  'github.event.head_commit.committer.name',
  'github.event.workflow_run.head_branch',
  'github.event.workflow_run.display_title',
  'github.event.workflow_run.head_commit.message',
  'github.event.workflow_run.head_commit.author.email',
  'github.event.workflow_run.head_commit.author.name',
  'github.event.workflow_run.pull_requests.*.head.ref',
  'github.event.workflow_run.head_repository.description',
];

/** Dumping a whole attacker-influenced object (toJSON(github.event)) is as bad as its fields. */
const ATTACKER_OBJECTS = ['github.event', 'github.event.issue', 'github.event.pull_request', 'github.event.comment', 'github.event.review', 'github.event.head_commit', 'github.event.workflow_run', 'github.event.discussion'];

const PATTERNS = ATTACKER_CONTROLLED.map((p) => p.split('.'));

export function isAttackerControlled(path: string): boolean {
  if (!path.startsWith('github.')) return false;
  const segments = path.split('.');
  return PATTERNS.some((p) => segmentsMatch(segments, p)) || ATTACKER_OBJECTS.includes(path);
}
