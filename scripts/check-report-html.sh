#!/usr/bin/env bash
# check-report-html.sh REPORT.html [SCREENSHOT.png]
#
# Opens a tr119 report in headless Chromium (Debian package `chromium`)
# with networking off and checks that every figure is shown: a copy of the
# page gets a small inline script that, after load, writes each <img>'s
# naturalWidth into the DOM, which --dump-dom prints. It also takes a
# screenshot and checks that it is not blank. Exit 0 when every image
# decoded; prints "N/N figures shown". Exits 77 (skip) without Chromium.
set -euo pipefail
page=$(realpath "${1:?usage: check-report-html.sh REPORT.html [SCREENSHOT.png]}")
shot=${2:+$(realpath -m "$2")}
chrome=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chrome ]]; then
  echo "chromium not installed: skipped (apt-get install -y chromium)" >&2
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[[ -n $shot ]] || shot=$work/shot.png
# The probe: after load, list every image's natural width.
probe='<script>window.addEventListener("load",function(){var o=[];for(const i of document.images){o.push(i.complete?i.naturalWidth:0)}var p=document.createElement("pre");p.id="tr119-probe";p.textContent="IMGS "+o.length+" "+o.join(",");document.body.appendChild(p)})</script>'
sed "s#</body>#${probe}</body>#" "$page" >"$work/page.html"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$work/profile" --virtual-time-budget=5000)
dom=$("$chrome" "${flags[@]}" --dump-dom "file://$work/page.html" 2>/dev/null)
line=$(grep -o 'IMGS [0-9]* [0-9,]*' <<<"$dom" || true)
if [[ -z $line ]]; then
  echo "probe did not run: page failed to load" >&2
  exit 1
fi
read -r _ total widths <<<"$line"
shown=0
for w in ${widths//,/ }; do
  if ((w > 0)); then shown=$((shown + 1)); fi
done
"$chrome" "${flags[@]}" --screenshot="$shot" --window-size=1200,4000 "file://$page" >/dev/null 2>&1
size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
echo "$shown/$total figures shown; screenshot $shot ($size bytes)"
# A blank 1200x4000 PNG compresses to a few kB; the report is far larger.
if ((size < 20000)); then
  echo "screenshot looks blank" >&2
  exit 1
fi
((shown == total))
