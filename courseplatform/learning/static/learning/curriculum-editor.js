/* Curriculum editor: drag and drop to reorder sections and lessons (the Up/Down buttons are plain POST forms
   and keep working for keyboard users), and upload progress for lesson files. No inline code (CSP). */
(function () {
  "use strict";
  function sortable(list, itemSelector, bodyFor, status, form) {
    var dragged = null;
    var items = function () {
      return Array.prototype.filter.call(list.children, function (el) { return el.matches(itemSelector); });
    };
    function save() {
      var body = new FormData(form);
      var extra = bodyFor(items().map(function (row) { return row.getAttribute("data-id"); }).join(","));
      Object.keys(extra).forEach(function (key) { body.set(key, extra[key]); });
      status.textContent = document.getElementById("ce-sections").getAttribute("data-saving") || "…";
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                           headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
        .then(function (res) {
          status.textContent = res[1].message || res[1].error || "";
          if (!res[0]) { window.location.reload(); }
        })
        .catch(function () { window.location.reload(); });
    }
    items().forEach(function (row) {
      row.setAttribute("draggable", "true");
      row.addEventListener("dragstart", function (event) {
        event.stopPropagation();
        dragged = row;
        row.classList.add("ce-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.getAttribute("data-id"));
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("ce-dragging");
        items().forEach(function (r) { r.classList.remove("ce-over"); });
      });
      row.addEventListener("dragover", function (event) {
        if (!dragged || dragged === row || dragged.parentNode !== list) { return; }
        event.preventDefault();
        event.stopPropagation();
        row.classList.add("ce-over");
      });
      row.addEventListener("dragleave", function () { row.classList.remove("ce-over"); });
      row.addEventListener("drop", function (event) {
        if (!dragged || dragged === row || dragged.parentNode !== list) { return; }
        event.preventDefault();
        event.stopPropagation();
        row.classList.remove("ce-over");
        var rows = items();
        var after = rows.indexOf(dragged) < rows.indexOf(row);
        list.insertBefore(dragged, after ? row.nextSibling : row);
        dragged = null;
        save();
      });
    });
  }

  function initReorder() {
    var sections = document.getElementById("ce-sections");
    var form = document.getElementById("ce-reorder-form");
    var status = document.getElementById("ce-status");
    if (!sections || !form || !window.fetch) { return; }
    sortable(sections, "li.ce-section", function (order) { return { sections: order }; }, status, form);
    Array.prototype.forEach.call(sections.querySelectorAll("ol.ce-lessons"), function (list) {
      sortable(list, "li.ce-lesson", function (order) {
        return { section: list.getAttribute("data-section"), lessons: order };
      }, status, form);
    });
  }

  function initUpload() {
    var form = document.getElementById("lesson-form");
    if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
    var row = document.getElementById("upload-row");
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    form.addEventListener("submit", function (event) {
      var hasFile = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
        return input.files && input.files.length;
      });
      if (!hasFile) { return; }  // a plain submit: nothing large to show progress for
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("Accept", "application/json");
      row.hidden = false;
      status.textContent = form.getAttribute("data-uploading");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round(100 * e.loaded / e.total);
          bar.value = pct;
          status.textContent = pct + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = {}; }
        if (xhr.status < 400 && data.redirect) { window.location.href = data.redirect; return; }
        if (data.errors) {
          status.textContent = Object.keys(data.errors).map(function (k) { return data.errors[k].join(" "); }).join(" ");
        } else {
          status.textContent = form.getAttribute("data-failed");
        }
      });
      xhr.addEventListener("error", function () { status.textContent = form.getAttribute("data-failed"); });
      xhr.send(new FormData(form));
    });
  }

  function init() { initReorder(); initUpload(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
