// opsbook search: results as you type, for every form marked `data-search`.
//
// The index (search-index.js, written by the build) is loaded with a <script src> the
// first time someone searches, so search works from file:// and no page pays for it
// before then. Nothing here uses eval, inline script or innerHTML with page text: a
// strict Content-Security-Policy (script-src 'self') allows all of it, and page text is
// only ever put into the page as text nodes.
(function () {
  "use strict";

  var INDEX_GLOBAL = "OPSBOOK_SEARCH_INDEX";
  var MAX_RESULTS = 20;
  var DEBOUNCE_MS = 120;
  // Points per term by where it is found: title and alert names above body text.
  var WEIGHT = { title: 100, keyword: 80, heading: 40, code: 25, text: 10 };

  var prepared = null;
  var loading = null;

  // One index file by <script src> (works from file://, allowed by script-src 'self').
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("search index could not be loaded"));
      };
      document.head.appendChild(script);
    });
  }

  // search-index.js holds the first pages and the shard count; a big site's other pages
  // are in search-index-N.js, loaded together and joined in order.
  function loadIndex(root) {
    if (prepared) return Promise.resolve(prepared);
    if (!loading) {
      loading = loadScript(root + "search-index.js")
        .then(function () {
          var first = window[INDEX_GLOBAL];
          if (!first) throw new Error("search index is empty");
          var rest = [];
          for (var n = 1; n < (first.shards || 1); n++) {
            rest.push(loadScript(root + "search-index-" + n + ".js"));
          }
          return Promise.all(rest).then(function () {
            var pages = first.pages.slice();
            for (var n = 1; n < (first.shards || 1); n++) {
              pages = pages.concat(window[INDEX_GLOBAL + "_" + n] || []);
            }
            prepared = prepare({ version: first.version, pages: pages });
            return prepared;
          });
        })
        .catch(function (error) {
          loading = null;
          throw error;
        });
    }
    return loading;
  }

  // Lower-cased copies, made once, so each keystroke only compares strings.
  function prepare(index) {
    return index.pages.map(function (page) {
      var headings = page.h || [];
      return {
        page: page,
        title: page.t.toLowerCase(),
        keywords: (page.w || []).join("\n").toLowerCase(),
        headings: headings.map(function (h) { return h[0].toLowerCase(); }),
        code: (page.c || []).map(function (line) { return line.toLowerCase(); }),
        text: page.x.toLowerCase()
      };
    });
  }

  function termsOf(query) {
    return query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  }

  function firstIndex(list, term) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].indexOf(term) !== -1) return i;
    }
    return -1;
  }

  // The best place a term is found in one page, or null.
  function bestField(entry, term) {
    if (entry.title.indexOf(term) !== -1) return "title";
    if (entry.keywords.indexOf(term) !== -1) return "keyword";
    if (firstIndex(entry.headings, term) !== -1) return "heading";
    if (firstIndex(entry.code, term) !== -1) return "code";
    if (entry.text.indexOf(term) !== -1) return "text";
    return null;
  }

  // Every term must be found somewhere; the score adds where each one was found, with
  // a bonus when the whole query is found as written (an error message, a command).
  function score(entry, terms, phrase) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var field = bestField(entry, terms[i]);
      if (!field) return 0;
      total += WEIGHT[field];
      if (field === "title" && (" " + entry.title).indexOf(" " + terms[i]) !== -1) total += 20;
    }
    if (terms.length > 1) {
      if (entry.title.indexOf(phrase) !== -1) total += 60;
      else if (firstIndex(entry.code, phrase) !== -1 || entry.text.indexOf(phrase) !== -1) total += 30;
    }
    if (entry.page.k === "runbook") total += 5;
    return total;
  }

  function search(query) {
    var terms = termsOf(query);
    if (!terms.length || !prepared) return [];
    var phrase = terms.join(" ");
    var hits = [];
    for (var i = 0; i < prepared.length; i++) {
      var points = score(prepared[i], terms, phrase);
      if (points > 0) hits.push({ entry: prepared[i], score: points });
    }
    hits.sort(function (a, b) {
      return b.score - a.score || a.entry.page.t.localeCompare(b.entry.page.t);
    });
    return hits.slice(0, MAX_RESULTS).map(function (hit) {
      return { page: hit.entry.page, snippet: snippetOf(hit.entry, terms, phrase) };
    });
  }

  // What to show under a result: the heading, code line or sentence the query is in.
  function snippetOf(entry, terms, phrase) {
    var page = entry.page;
    var wanted = [phrase].concat(terms);
    for (var w = 0; w < wanted.length; w++) {
      var h = firstIndex(entry.headings, wanted[w]);
      if (h !== -1) return { kind: "heading", text: page.h[h][0], anchor: page.h[h][1] };
      var c = firstIndex(entry.code, wanted[w]);
      if (c !== -1) return { kind: "code", text: page.c[c] };
      var at = entry.text.indexOf(wanted[w]);
      if (at !== -1) return { kind: "text", text: around(page.x, at, wanted[w].length) };
    }
    return page.x ? { kind: "text", text: around(page.x, 0, 0) } : null;
  }

  function around(text, at, length) {
    var start = Math.max(0, at - 60);
    var end = Math.min(text.length, at + length + 110);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space !== -1 && space < at) start = space + 1;
    }
    if (end < text.length) {
      var last = text.lastIndexOf(" ", end);
      if (last > at + length) end = last;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  // Appends `text` to `parent` with every term in a <mark>, as text nodes only.
  function appendHighlighted(parent, text, terms) {
    var lower = text.toLowerCase();
    var pos = 0;
    while (pos < text.length) {
      var next = -1;
      var length = 0;
      for (var i = 0; i < terms.length; i++) {
        var at = lower.indexOf(terms[i], pos);
        if (at !== -1 && (next === -1 || at < next || (at === next && terms[i].length > length))) {
          next = at;
          length = terms[i].length;
        }
      }
      if (next === -1 || length === 0) break;
      if (next > pos) parent.appendChild(document.createTextNode(text.slice(pos, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      parent.appendChild(mark);
      pos = next + length;
    }
    if (pos < text.length) parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  function element(name, className) {
    var node = document.createElement(name);
    if (className) node.className = className;
    return node;
  }

  function resultItem(result, terms, root) {
    var item = element("li", "search-result");
    var link = element("a", "search-result-link");
    var anchor = result.snippet && result.snippet.anchor ? "#" + result.snippet.anchor : "";
    link.href = root + result.page.u + anchor;
    var head = element("span", "search-result-head");
    var title = element("span", "search-result-title");
    appendHighlighted(title, result.page.t, terms);
    var kind = element("span", "search-result-kind kind-" + result.page.k);
    kind.textContent = result.page.k;
    head.appendChild(title);
    head.appendChild(kind);
    link.appendChild(head);
    if (result.snippet) {
      var snippet = element(result.snippet.kind === "code" ? "code" : "span",
        "search-result-snippet snippet-" + result.snippet.kind);
      appendHighlighted(snippet, result.snippet.text, terms);
      link.appendChild(snippet);
    }
    item.appendChild(link);
    return item;
  }

  function Box(form) {
    this.form = form;
    this.input = form.querySelector("input[type=search]");
    this.panel = form.querySelector("[data-search-results]");
    this.root = form.getAttribute("data-root") || "";
    this.popup = this.panel.classList.contains("search-popup");
    this.status = element("p", "search-status");
    this.status.setAttribute("role", "status");
    this.list = element("ol", "search-result-list");
    this.panel.appendChild(this.status);
    this.panel.appendChild(this.list);
    this.timer = null;
    this.bind();
  }

  Box.prototype.bind = function () {
    var box = this;
    box.input.addEventListener("input", function () {
      clearTimeout(box.timer);
      box.timer = setTimeout(function () { box.run(); }, DEBOUNCE_MS);
    });
    box.input.addEventListener("focus", function () {
      loadIndex(box.root).catch(function () {});
      if (box.input.value.trim()) box.run();
    });
    box.form.addEventListener("keydown", function (event) { box.onKey(event); });
    box.form.addEventListener("submit", function (event) {
      var first = box.list.querySelector("a");
      if (first) {
        event.preventDefault();
        window.location.href = first.href;
      }
    });
    if (box.popup) {
      document.addEventListener("click", function (event) {
        if (!box.form.contains(event.target)) box.hide();
      });
    }
  };

  Box.prototype.run = function () {
    var box = this;
    var query = box.input.value.trim();
    if (query.length < 2) {
      box.hide();
      return;
    }
    loadIndex(box.root).then(function () {
      if (box.input.value.trim() === query) box.show(query, search(query));
    }, function (error) {
      box.showMessage(error.message);
    });
  };

  Box.prototype.show = function (query, results) {
    var terms = termsOf(query);
    while (this.list.firstChild) this.list.removeChild(this.list.firstChild);
    for (var i = 0; i < results.length; i++) {
      this.list.appendChild(resultItem(results[i], terms, this.root));
    }
    var count = results.length === MAX_RESULTS ? "Top " + MAX_RESULTS + " results" :
      results.length + (results.length === 1 ? " result" : " results");
    this.status.textContent = results.length ?
      count + " for “" + query + "”" :
      "No page matches “" + query + "”. Try fewer or shorter words.";
    this.panel.hidden = false;
  };

  Box.prototype.showMessage = function (message) {
    while (this.list.firstChild) this.list.removeChild(this.list.firstChild);
    this.status.textContent = message;
    this.panel.hidden = false;
  };

  Box.prototype.hide = function () {
    if (this.popup) this.panel.hidden = true;
  };

  // Arrow keys move between the box and the results, Escape goes back and closes.
  Box.prototype.onKey = function (event) {
    var links = Array.prototype.slice.call(this.list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at !== -1) {
      event.preventDefault();
      if (at === 0) this.input.focus(); else links[at - 1].focus();
    } else if (event.key === "Escape") {
      if (at === -1 && (!this.popup || this.panel.hidden)) {
        this.input.value = "";
      }
      this.hide();
      this.input.focus();
    }
  };

  function typingIn(target) {
    var name = target && target.tagName;
    return name === "INPUT" || name === "TEXTAREA" || name === "SELECT" ||
      (target && target.isContentEditable);
  }

  function start() {
    var forms = document.querySelectorAll("form[data-search]");
    var boxes = [];
    for (var i = 0; i < forms.length; i++) boxes.push(new Box(forms[i]));
    if (!boxes.length) return;
    // The search page's own box comes after the header's; it is the one to use there.
    var main = boxes[boxes.length - 1];
    document.addEventListener("keydown", function (event) {
      if (event.key === "/" && !typingIn(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        main.input.focus();
        main.input.select();
      }
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query && !main.popup) {
      main.input.value = query;
      main.run();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
