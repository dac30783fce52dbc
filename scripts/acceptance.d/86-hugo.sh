# Sourced by scripts/acceptance.sh: a runbook site written for Hugo (../sites/prometheus)
# builds as its authors meant, and raw HTML on every kind of page runs nothing. Every
# fact is read from the site's own files (front matter, shortcodes, headings), never
# from a file name or title of theirs.
hugo_sites=$corpus/../sites
if [ ! -d "$hugo_sites/prometheus" ]; then
  echo "== Hugo runbook site: none at $hugo_sites/prometheus (skipped)"
  return 0
fi

echo "== Hugo runbook site (prometheus): refs, sections, layout keys, raw HTML, steps"
hugo=$work/hugo-prometheus
cp -R "$hugo_sites/prometheus" "$hugo"
"$bin" build --root "$hugo" > "$work/hugo-build.log" 2>&1 || true
expect "prometheus: no warning about Hugo's front matter keys (OPS102)" \
  "$(grep -c 'OPS102' "$work/hugo-build.log" || true)" 0
expect "prometheus: no shortcode shown as written" \
  "$(grep -rlE '\{\{(&lt;|%) *(rel)?ref' "$hugo/public" | wc -l | tr -d ' ')" 0

# Each `{{< ref "./X.md" >}}` links the page made from X.md (its lower-cased stem).
refs_ok=0
refs=0
while IFS=: read -r source target; do
  refs=$((refs + 1))
  stem=$(basename "$target" .md | tr '[:upper:]' '[:lower:]')
  from=$(basename "$source" .md | tr '[:upper:]' '[:lower:]')
  page="$hugo/public/${source#"$hugo/content/"}"
  page="$(dirname "$page")/$from/index.html"
  # A page that refers to itself links `index.html`.
  want="../$stem/index.html"
  [ "$stem" = "$from" ] && want="index.html"
  grep -q "href=\"$want\"" "$page" && refs_ok=$((refs_ok + 1))
done < <(grep -roE '\{\{< *ref "\./[^"]+" *>\}\}' "$hugo/content" | sed -E 's/\{\{< *ref "\.\/([^"]+)".*/\1/')
expect "prometheus: every ref links the page it names ($refs)" "$refs_ok" "$refs"

details_in=$(grep -rho '<details>' "$hugo/content" | wc -l | tr -d ' ')
details_out=$(grep -rho '<details>' "$hugo/public" --include=index.html | wc -l | tr -d ' ')
expect "prometheus: every <details> block is an element" "$details_out" "$details_in"
expect "prometheus: no <details> shown as text" \
  "$(grep -rc '&lt;details&gt;' "$hugo/public" --include=index.html | awk -F: '{s+=$2} END {print s+0}')" 0

# Each section (_index.md below content/) lists its pages: by weight (none last), then title.
for index in $(find "$hugo/content" -mindepth 2 -name _index.md | sort); do
  folder=$(dirname "$index")
  out="$hugo/public/${folder#"$hugo/content/"}/index.html"
  expected=$(for f in "$folder"/*.md; do
    [ "$(basename "$f")" = _index.md ] && continue
    w=$(sed -n '/^---$/,/^---$/{s/^weight: *//p}' "$f" | head -1)
    t=$(sed -n '/^---$/,/^---$/{s/^title: *//p}' "$f" | head -1)
    if [ -z "$w" ] || [ "$w" = 0 ]; then none=1 w=0; else none=0; fi
    lower=$(printf '%s' "$t" | tr '[:upper:]' '[:lower:]')
    printf '%s\t%s\t%s\t%s\n' "$none" "$w" "$lower" "$t"
  done | LC_ALL=C sort -t$'\t' -k1,1n -k2,2n -k3,3 | cut -f4)
  [ -z "$expected" ] && continue
  listed=$(grep -o 'class="section-entry-title" href="[^"]*">[^<]*' "$out" | sed 's/.*">//')
  expect "prometheus: section ${folder#"$hugo/content/"} lists its pages in weight, then title order" \
    "$listed" "$expected"
done
nav=$(grep -A20 'class="nav-links"' "$hugo/public/index.html" | sed '/<\/ul>/q')
for index in $(find "$hugo/content" -mindepth 2 -name _index.md); do
  grep -q '^bookHidden: *true' "$index" && continue
  title=$(sed -n '/^---$/,/^---$/{s/^title: *//p}' "$index" | head -1)
  expect "prometheus: the navigation links section '$title'" \
    "$(echo "$nav" | grep -c ">$title</a>")" 1
done

# Runbooks whose Diagnosis or Mitigation says something (not only TODO) show steps.
without_steps=0
for f in $(grep -rlE '^## (Diagnosis|Mitigation)' "$hugo/content"); do
  text=$(awk '/^## (Diagnosis|Mitigation)/{on=1; next} /^## /{on=0} on' "$f" | grep -vE '^\s*$|^TODO$' | wc -l)
  [ "$text" -eq 0 ] && continue
  stem=$(basename "$f" .md | tr '[:upper:]' '[:lower:]')
  page="$hugo/public/$(dirname "${f#"$hugo/content/"}")/$stem/index.html"
  grep -q 'type="checkbox" name="' "$page" || without_steps=$((without_steps + 1))
done
expect "prometheus: every Meaning/Impact/Diagnosis/Mitigation runbook with instructions shows steps" \
  "$without_steps" 0

# `check`: the only errors are root-absolute links to pages this copy of the site lacks, and
# the alerts' dead `runbook_url`s (OPS710, counted in 85-alerts.sh).
"$bin" check --root "$hugo" > "$work/hugo-check.log" 2>&1 || true
bad=0
while read -r path; do
  [ -f "$hugo/content/$path.md" ] || [ -f "$hugo/content/$path/_index.md" ] || continue
  bad=$((bad + 1))
done < <(grep -o 'no page or file of this site is at `[^`]*`' "$work/hugo-check.log" | sed 's/.*`\(.*\)`/\1/')
expect "prometheus: check errors are only links to pages missing from the site" \
  "$(grep 'error\[' "$work/hugo-check.log" | grep -v 'error\[OPS710\]' | grep -vc 'error\[OPS610\].*no page or file of this site is at' || true)" 0
expect "prometheus: each reported root link names a page that is not there" "$bad" 0

echo "== raw HTML on every page kind runs nothing (tests/fixtures/xss)"
xss=$work/xss
cp -R "$here/tests/fixtures/xss/site" "$xss"
"$bin" build --root "$xss" > "$work/xss-build.log" 2>&1 || fail "xss: build failed"
html_files=$(find "$xss/public" -name '*.html')
expect "xss: no event handler attribute" \
  "$(cat $html_files | grep -oiE '<[a-z][^>]*[[:space:]]on[a-z]+ *=' | wc -l | tr -d ' ')" 0
expect "xss: no inline script (only the site's own script files)" \
  "$(cat $html_files | grep -oiE '<script[^>]*>' | grep -vcE '<script src="(/|(\.\./)*)static/[a-z]+\.js" defer>' || true)" 0
expect "xss: no javascript:, vbscript: or data:text URL in an attribute" \
  "$(cat $html_files | grep -oiE '<[a-z][^>]*[[:space:]](href|src|action|data|formaction)="[[:space:]]*(javascript|vbscript|data:text)' | wc -l | tr -d ' ')" 0
expect "xss: no style attribute, base, meta refresh, object, embed, iframe" \
  "$(cat $html_files | grep -oiE ' style=|<base|<meta http-equiv|<object|<embed|<iframe' | wc -l | tr -d ' ')" 0
expect "xss: no svg from a page's text" "$(grep -c '<svg' "$xss/public/notes/index.html")" 0
expect "xss: <details> kept as an element" \
  "$(grep -c '<details><summary>toggle me</summary>' "$xss/public/notes/index.html")" 1
expect "xss: each removal is reported at its line" \
  "$(grep -cE '^content/[^:]+:[0-9]+:[0-9]+: warning\[OPS15[01]\]' "$work/xss-build.log")" \
  "$(grep -cE 'warning\[OPS15[01]\]' "$work/xss-build.log")"
