// Search page: the autocomplete combobox (ARIA 1.2 pattern, debounced) and the result-click beacon.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (input && list) {
    var timer = null, items = [], active = -1, seq = 0;
    var close = function () {
      list.hidden = true; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant"); active = -1;
    };
    var highlight = function (n) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === n ? "true" : "false"); });
      active = n;
      if (n >= 0 && options[n]) { input.setAttribute("aria-activedescendant", options[n].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    };
    var render = function (suggestions) {
      items = suggestions; list.textContent = "";
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "search-suggestion-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
        li.className = "suggestion " + s.kind; li.textContent = s.label;
        if (s.kind_label) { var kind = document.createElement("span"); kind.className = "kind"; kind.textContent = s.kind_label; li.appendChild(kind); }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.assign(s.url); });
        list.appendChild(li);
      });
      if (suggestions.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); highlight(-1); }
      else { close(); }
    };
    var fetchSuggestions = function () {
      var q = input.value.trim(), mine = ++seq;
      if (!q) { render([]); return; }
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
        .then(function (data) { if (mine === seq) { render(data.suggestions || []); } })
        .catch(function () { render([]); });
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 200); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (list.hidden) { if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { fetchSuggestions(); } return; }
        highlight(Math.min(active + 1, items.length - 1));
      } else if (e.key === "ArrowUp") {
        if (!list.hidden) { e.preventDefault(); highlight(Math.max(active - 1, -1)); }
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0 && items[active]) { e.preventDefault(); window.location.assign(items[active].url); }
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  var results = document.querySelector(".result-list[data-log]");
  var token = document.querySelector("#click-token input[name=csrfmiddlewaretoken]");
  if (results && token && navigator.sendBeacon) {
    results.addEventListener("click", function (e) {
      var link = e.target.closest("a"), item = e.target.closest("li.result");
      if (!link || !item || link.closest("form")) { return; }
      var data = new FormData();
      data.append("log", results.dataset.log); data.append("course", item.dataset.course);
      data.append("position", item.dataset.position); data.append("csrfmiddlewaretoken", token.value);
      navigator.sendBeacon(results.dataset.clickUrl, data);
    });
  }
})();
