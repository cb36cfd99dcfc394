#!/usr/bin/env bash
# Usage: pr-comment.sh REPORT_DIR   (environment: REPO=owner/name, HEAD_SHA, and GH_TOKEN for gh)
# Creates or updates the one performance-observatory comment on the pull request that REPORT_DIR (the
# bench artifact) belongs to. The artifact was written by pull-request code, so it is only data here: the
# PR number must be a number and that PR must still be at the commit the bench run measured.
set -euo pipefail
dir=${1:?usage: pr-comment.sh REPORT_DIR}
marker='<!-- performance-observatory -->'

pr=$(head -n 1 "$dir/pr-number" 2>/dev/null || true)
case "$pr" in
  '' | *[!0-9]*) echo "pr-comment: $dir/pr-number does not hold a pull request number; not commenting." >&2; exit 1 ;;
esac
report="$dir/latest.md"
if [ ! -s "$report" ]; then
  echo "pr-comment: the bench run wrote no report ($report); its log says why. Not commenting."
  exit 0
fi
if ! head -n 1 "$report" | grep -qxF "$marker"; then
  echo "pr-comment: $report does not start with $marker; not a performance-observatory report." >&2
  exit 1
fi
head_now=$(gh api "repos/$REPO/pulls/$pr" --jq .head.sha)
if [ "$head_now" != "$HEAD_SHA" ]; then
  echo "pr-comment: #$pr is now at $head_now, not at the measured $HEAD_SHA; a newer run will comment."
  exit 0
fi
id=$(gh api --paginate "repos/$REPO/issues/$pr/comments" --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api -X PATCH "repos/$REPO/issues/comments/$id" -F "body=@$report" >/dev/null
  echo "pr-comment: updated comment $id on #$pr"
else
  gh api -X POST "repos/$REPO/issues/$pr/comments" -F "body=@$report" >/dev/null
  echo "pr-comment: commented on #$pr"
fi
