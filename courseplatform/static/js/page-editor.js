/* Page editor: drag and drop to reorder sections. Without this script the Up/Down buttons (plain POST
   forms) do the same; with it they still work, so keyboard users keep their alternative. No inline code. */
(function () {
  "use strict";
  function init() {
    var list = document.getElementById("pe-sections");
    var form = document.getElementById("pe-reorder-form");
    var status = document.getElementById("pe-status");
    if (!list || !form || !window.fetch) { return; }
    var items = function () { return Array.prototype.slice.call(list.querySelectorAll("li.pe-section")); };
    var dragged = null;

    function refreshButtons() {
      var rows = items();
      rows.forEach(function (row, i) {
        var buttons = row.querySelectorAll("input[name=direction]");
        buttons.forEach(function (input) {
          var button = input.form.querySelector("button");
          button.disabled = (input.value === "up" && i === 0) || (input.value === "down" && i === rows.length - 1);
        });
      });
    }

    function save() {
      var order = items().map(function (row) { return row.getAttribute("data-id"); }).join(",");
      var body = new FormData(form);
      body.set("order", order);
      status.textContent = list.getAttribute("data-saving") || "…";
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                           headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
        .then(function (result) {
          status.textContent = result[1].message || result[1].error || "";
          if (!result[0]) { window.location.reload(); }
        })
        .catch(function () { window.location.reload(); });
      refreshButtons();
    }

    items().forEach(function (row) {
      row.setAttribute("draggable", "true");
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("pe-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.getAttribute("data-id"));
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("pe-dragging");
        items().forEach(function (r) { r.classList.remove("pe-over"); });
      });
      row.addEventListener("dragover", function (event) {
        if (!dragged || dragged === row) { return; }
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        row.classList.add("pe-over");
      });
      row.addEventListener("dragleave", function () { row.classList.remove("pe-over"); });
      row.addEventListener("drop", function (event) {
        event.preventDefault();
        row.classList.remove("pe-over");
        if (!dragged || dragged === row) { return; }
        var rows = items();
        var after = rows.indexOf(dragged) < rows.indexOf(row);
        list.insertBefore(dragged, after ? row.nextSibling : row);
        dragged = null;
        save();
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
