#!/usr/bin/env bash
# Mutation testing of the state machines with Stryker.NET, on demand (not run by CI: each file takes minutes of CPU).
#   .ci/mutation.sh                 every state machine, one file at a time
#   .ci/mutation.sh ChatService     only the files whose path contains that word
# Reports: StrykerOutput/<time>/reports/mutation-report.html under tests/BemsServer.Tests; the score is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null

files=(
  src/BemsServer/Features/Chats/ChatService.cs
  src/BemsServer/Features/Chats/Chat.cs
  src/BemsServer/Features/Sessions/SessionRegistry.cs
  src/BemsServer/Features/Sessions/Session.cs
  src/BemsServer/Transport/Outbox.cs
  src/BemsServer/Features/Chats/DeliveryDeadlines.cs
  src/BemsServer/Dispatch/RequestOutcomes.cs
  src/BemsServer/Features/Rooms/RoomService.cs
  src/BemsServer/Features/Rooms/RoomService.Participation.cs
)
filter="${1:-}"
for file in "${files[@]}"; do
  [[ -n "$filter" && "$file" != *"$filter"* ]] && continue
  echo "== $file"
  # One file and one test runner at a time: the unit tests (tests/BemsServer.Tests) are the ones measured.
  (cd tests/BemsServer.Tests && dotnet stryker --project BemsServer.csproj --mutate "**/${file#src/BemsServer/}" \
      --concurrency "${STRYKER_CONCURRENCY:-1}" --reporter progress --reporter html --reporter json --break-at 0) \
    | grep -E "The final mutation score is|Killed|Survived|Timeout|No coverage" || true
done
