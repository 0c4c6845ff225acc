#!/usr/bin/env bash
# Lists the non-test functions longer than LIMIT lines (default 80, counted by
# clang-tidy's readability-function-size: the body's lines with blank lines
# and comments) in the library and app folders, using the compile database
# of a configured build directory. Functions that are data tables are listed
# in scripts/long-functions.allow ("path:function" per line) and skipped.
# Exit status 1 when any other function is too long.
#   ./scripts/long-functions.sh [BUILD_DIR]      (default: build; LIMIT=80 JOBS=2)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
limit=${LIMIT:-80}
jobs=${JOBS:-2}
folders='core|knowledge|text|store|dialogs|bot|adapters|app'
[[ -f $build/compile_commands.json ]] || {
  echo "no $build/compile_commands.json: configure the build first" >&2
  exit 2
}
root=$(pwd)
mapfile -t files < <(sed -n 's/^ *"file": "\(.*\)",\?$/\1/p' "$build/compile_commands.json" |
  sed "s|^$root/||" | grep -E "^($folders)/.*\.cpp$" | sort -u)
config="{Checks: '-*,readability-function-size', CheckOptions: [{key: readability-function-size.LineThreshold, value: $limit}]}"
out=$(printf '%s\n' "${files[@]}" | xargs -P "$jobs" -n 4 clang-tidy -p "$build" --quiet \
  --config="$config" --header-filter="^$root/($folders)/" 2>/dev/null |
  awk -v root="$root/" '
    /warning: function .* exceeds recommended size/ {
      split($0, a, ":"); file = a[1]; sub(root, "", file); line = a[2]
      match($0, /function '\''[^'\'']*'\''/); name = substr($0, RSTART + 10, RLENGTH - 11)
    }
    /note: [0-9]+ lines including/ && name != "" {
      match($0, /[0-9]+ lines/); n = substr($0, RSTART, RLENGTH - 6)
      print file ":" line ": " name " (" n " lines)"; name = ""
    }' | sort -u -t: -k1,1 -k2,2n)
allow=scripts/long-functions.allow
failed=0
while IFS= read -r row; do
  [[ -z $row ]] && continue
  file=${row%%:*}
  name=${row#*: }
  name=${name% (*}
  if [[ -f $allow ]] && grep -qxF "$file:$name" "$allow"; then
    echo "$row  [data table]"
  else
    echo "$row"
    failed=1
  fi
done <<<"$out"
exit $failed
