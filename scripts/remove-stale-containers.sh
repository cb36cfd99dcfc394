#!/usr/bin/env bash
# Removes what runs left behind when the engine itself stopped under them (a machine restarted, dockerd
# killed): their supervisors died with it, so nobody else will. scripts/start-docker.sh runs it right after
# dockerd starts. Containers carry the run label (harness/container-engine.ts RUN_LABEL);
# the networks they were on go too once empty.
set -euo pipefail
label=dev.performance-observatory.run
# Only stopped ones: at a fresh start that is all of them, and a live run's containers are never touched.
mapfile -t stale < <(docker ps -aq --filter "label=$label" --filter status=exited --filter status=dead --filter status=created)
[ "${#stale[@]}" -gt 0 ] || exit 0
mapfile -t networks < <(docker inspect -f '{{range $name, $_ := .NetworkSettings.Networks}}{{println $name}}{{end}}' "${stale[@]}" |
  grep -vxE 'bridge|host|none|' | sort -u)
docker rm -f -v "${stale[@]}" >/dev/null
removed=0
for network in "${networks[@]}"; do
  if [ "$(docker network inspect -f '{{len .Containers}}' "$network" 2>/dev/null)" = 0 ] && docker network rm "$network" >/dev/null; then
    removed=$((removed + 1))
  fi
done
echo "start-docker: removed ${#stale[@]} container(s) and $removed network(s) that runs left when the engine stopped under them"
