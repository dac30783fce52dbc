# Sourced by scripts/acceptance.sh: a large site (issue 7). 1,000 generated runbook pages
# from the shared benchmark generator build with their PDFs (typesetting many PDFs once
# overflowed a thread's stack); a rebuild over the kept output is byte-identical; a page
# removed from the source is gone from the next build.
echo "== a 1,000-page site"
generator=$corpus/../bench/gen_corpus.py
if [ ! -f "$generator" ]; then
  fail "no benchmark generator at $generator"
else
  scale=$work/scale
  python3 "$generator" --pages 1000 --out "$scale" --flavor plain --force > /dev/null
  mkdir -p "$scale/content/runbooks"
  mv "$scale"/pages/* "$scale/content/runbooks/"
  if "$bin" build --root "$scale" 2> "$work/scale-build.log"; then
    pass "1,000 runbooks build with PDFs"
  else
    fail "1,000 runbooks with PDFs: build failed"; tail -5 "$work/scale-build.log"
  fi
  expect "PDFs written" "$(find "$scale/public/runbooks" -name '*.pdf' | wc -l | tr -d ' ')" 1000
  expect "runbook pages written" \
    "$(find "$scale/public/runbooks" -mindepth 2 -name index.html | wc -l | tr -d ' ')" 1000
  cp -R "$scale/public" "$work/scale-first"
  "$bin" build --root "$scale" --no-pdf 2> /dev/null
  "$bin" build --root "$scale" 2> /dev/null
  if diff -r "$work/scale-first" "$scale/public" > /dev/null; then
    pass "rebuilds over the kept output are byte-identical"
  else
    fail "rebuild over the kept output differs"
  fi
  removed=$(find "$scale/content/runbooks" -name '*.md' | sort | sed -n 1p)
  slug=$(basename "$removed" .md)
  rm "$removed"
  "$bin" build --root "$scale" --no-pdf 2> /dev/null
  expect "a removed page is gone" "$([ -e "$scale/public/runbooks/$slug" ] && echo present || echo gone)" gone
  expect "PDFs after a --no-pdf build" "$(find "$scale/public" -name '*.pdf' | wc -l | tr -d ' ')" 0
fi
