#!/usr/bin/env bash
# After `pnpm bench:update` on main: pushes the new baselines/ to one branch and opens or updates its pull
# request, with a summary of what moved as the description. Nothing changed, nothing opened.
# Environment: REPO=owner/name and GH_TOKEN (contents: write, pull-requests: write, actions: write).
set -euo pipefail
branch=bench/baseline-update
title='Update benchmark baselines'

if [ -z "$(git status --porcelain -- baselines/)" ]; then
  echo "baseline-pr: baselines/ unchanged; no pull request."
  exit 0
fi
body=$(mktemp)
trap 'rm -f "$body"' EXIT
node scripts/baseline-summary.ts >"$body"

git config user.name 'performance-observatory'
git config user.email 'performance-observatory@users.noreply.github.com'
gh auth setup-git
git switch -C "$branch"
git add baselines/
git commit -q -m "$title"
git push --force origin "$branch"
if gh pr view "$branch" --repo "$REPO" --json number >/dev/null 2>&1; then
  gh pr edit "$branch" --repo "$REPO" --body-file "$body"
else
  gh pr create --repo "$REPO" --head "$branch" --title "$title" --body-file "$body"
fi
# A pull request opened with the workflow's token starts no workflow; a dispatch does, on the branch's head
# commit, so the checks show on the pull request.
for workflow in ci.yml bench.yml; do
  gh workflow run "$workflow" --repo "$REPO" --ref "$branch"
done
