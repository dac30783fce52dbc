// opsbook serve: reloads the page when the site was rebuilt, and shows a failed rebuild
// as an overlay over the last good page. Served and injected by `opsbook serve` only;
// a build never contains it.
(function () {
  "use strict";
  var script = document.currentScript;
  var loadedGeneration = script ? script.getAttribute("data-generation") : null;
  var overlay = null;

  function addStylesheet() {
    if (document.querySelector("link[data-opsbook-overlay]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = "/__opsbook/overlay.css";
    link.setAttribute("data-opsbook-overlay", "");
    document.head.appendChild(link);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function showFailure(diagnostics) {
    addStylesheet();
    hideFailure();
    overlay = element("div", "opsbook-overlay");
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-labelledby", "opsbook-overlay-title");
    var panel = element("div", "opsbook-overlay-panel");
    var title = element("h2", "opsbook-overlay-title", "The rebuild failed");
    title.id = "opsbook-overlay-title";
    var lede = element("p", "opsbook-overlay-lede",
      "This is the last good version of the page. Fix the problems below and save: the page reloads by itself.");
    var pre = element("pre", "opsbook-overlay-diagnostics", diagnostics);
    var close = element("button", "opsbook-overlay-close", "Hide");
    close.type = "button";
    close.addEventListener("click", hideFailure);
    panel.appendChild(title);
    panel.appendChild(lede);
    panel.appendChild(pre);
    panel.appendChild(close);
    overlay.appendChild(panel);
    document.body.appendChild(overlay);
  }

  function hideFailure() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
  }

  // The server answers with this page's own generation: it changes only when this
  // page (or a file every page uses) changed.
  var events = new EventSource("/__opsbook/events" + window.location.pathname);
  events.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    // Tells the browser tests (and the curious) that the page listens for rebuilds.
    document.documentElement.setAttribute("data-opsbook-serve", "listening");
    if (state.error) {
      showFailure(state.error);
    } else if (String(state.generation) !== loadedGeneration) {
      window.location.reload();
    } else {
      hideFailure();
    }
  });
})();
