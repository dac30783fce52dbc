# Sourced by scripts/acceptance.sh: the reference plan's dependency map drawn as SVG.
echo "== reference plan: dependency map"
page=$site/public/plans/devops-optimization-epics/index.html
[ -f "$page" ] || page=/dev/null
# Only the map's figure: from its opening tag to the end of its section.
map=$work/dependency-map.html
sed -n '/<figure class="dependency-map"/,/<\/figure>/p' "$page" > "$map"
mapcount() { grep -o "$1" "$map" | wc -l | tr -d ' '; }
expect "map SVG pictures" "$(mapcount '<svg ')" 1
expect "map nodes" "$(mapcount 'class="node ')" 6
expect "map edges" "$(mapcount 'class="edge ')" 7
expect "map dotted edges" "$(mapcount 'class="edge dotted"')" 1
expect "map edge labels" "$(mapcount 'class="edge-label"')" 2
expect "map epic links" "$(mapcount '<a href="#epic-[0-9]*" class="node-link">')" 6
expect "inline script tags on the plan page" "$(grep -o '<script[^>]*>' "$page" | grep -vc ' src=' || true)" 0
expect "mermaid source kept" "$(mapcount '<summary>Mermaid source</summary>')" 1
expect "mermaid syntax errors in the build log" "$(grep -c 'OPS350' "$work/build.log" || true)" 0
