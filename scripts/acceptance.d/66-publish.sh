# Sourced by scripts/acceptance.sh: publish safety on the corpus site (issue 6, point 7).
# The reference plan holds a login to a public address and a Windows user path: both are
# warnings with their line in the build log, and errors that stop a `--public` build.
echo "== publish safety"
plan_file='content/plans/devops-optimization-epics.md'
expect "public login reported at the plan's line 42" \
  "$(grep -c "^$plan_file:42:12: warning\[OPS643\]: login to a public IP address \`deployer@103.54.153.248\`" "$work/build.log" || true)" 1
expect "Windows user path reported at the plan's line 352" \
  "$(grep -c "^$plan_file:352:5: warning\[OPS644\]: local user path \`c:\\\\Users\\\\luaho\`" "$work/build.log" || true)" 1

public_out=$work/public-build
if "$bin" build --root "$site" --out "$public_out" --public 2> "$work/build-public.log"; then
  fail "--public build should fail on the plan's leaks"
else
  pass "--public build fails"
fi
expect "--public: line 42 is an error" \
  "$(grep -c "^$plan_file:42:12: error\[OPS643\]" "$work/build-public.log" || true)" 1
expect "--public: line 352 is an error" \
  "$(grep -c "^$plan_file:352:5: error\[OPS644\]" "$work/build-public.log" || true)" 1
if [ -e "$public_out" ]; then fail "--public build wrote $public_out"; else pass "--public build wrote nothing"; fi

echo "== search index and canonical links"
expect "search index written" "$([ -s "$site/public/search-index.js" ] && echo yes || echo no)" yes
expect "search page written" "$([ -s "$site/public/search/index.html" ] && echo yes || echo no)" yes
expect "no sitemap without --base-url" "$([ -e "$site/public/sitemap.xml" ] && echo yes || echo no)" no
expect "no canonical link without --base-url" \
  "$(grep -l 'rel="canonical"' -r "$site/public" --include='*.html' | wc -l | tr -d ' ')" 0
