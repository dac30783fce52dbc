# Sourced by scripts/acceptance.sh: the Cloudflare Pages files of the corpus site, and no
# markup in any page that the strict Content-Security-Policy would block.
echo "== Cloudflare Pages output"
out=$site/public
for file in 404.html _headers _redirects; do
  if [ -f "$out/$file" ]; then pass "$file written"; else fail "no $file in the output"; fi
done
if grep -q '<h1>Page not found</h1>' "$out/404.html" 2> /dev/null; then
  pass "404.html is the theme's 404 page"
else
  fail "404.html is not the theme's 404 page"
fi
expect "404.html stylesheet from the host root" \
  "$(grep -c 'href="/static/style.css"' "$out/404.html" 2> /dev/null || true)" 1

csp=$(grep '^  Content-Security-Policy:' "$out/_headers" 2> /dev/null | head -1)
expect "one CSP line under /*" "$(grep -c '^  Content-Security-Policy:' "$out/_headers" 2> /dev/null || true)" 1
for directive in "default-src 'none'" "script-src 'self'" "style-src 'self'" "frame-ancestors 'none'" "base-uri 'none'"; do
  case "$csp" in
    *"$directive"*) pass "CSP has $directive" ;;
    *) fail "CSP lacks $directive: $csp" ;;
  esac
done
case "$csp" in
  *unsafe-inline* | *unsafe-eval*) fail "CSP allows unsafe-inline or unsafe-eval" ;;
  *) pass "CSP allows no unsafe-inline or unsafe-eval" ;;
esac
for header in 'X-Content-Type-Options: nosniff' 'Referrer-Policy: ' 'X-Frame-Options: DENY'; do
  if grep -q "^  $header" "$out/_headers" 2> /dev/null; then pass "_headers sets $header"; else fail "_headers lacks $header"; fi
done
if grep -A1 '^https://:project.pages.dev/\*$' "$out/_headers" 2> /dev/null | grep -q '^  X-Robots-Tag: noindex$'; then
  pass "noindex for *.pages.dev"
else
  fail "no X-Robots-Tag: noindex rule for https://:project.pages.dev/*"
fi

echo "== no markup the CSP would block"
# Inline <script> (without src), <style> elements, style="" attributes, on*="" handlers and
# javascript: URLs each need 'unsafe-inline' (or a hash); the site must need none.
pages=$(find "$out" -name '*.html' | wc -l | tr -d ' ')
inline=$(find "$out" -name '*.html' -print0 |
  xargs -0 grep -HnoE '<script[^>]*>|<style[ >]| style="| on[a-z]+="|(href|src)="javascript:' |
  grep -vE '<script [^>]*src="' || true)
if [ -z "$inline" ]; then
  pass "no inline script, style or handler in $pages pages"
else
  fail "CSP-blocked markup:"; echo "$inline" | head -20
fi
