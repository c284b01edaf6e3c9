/* Course form: the cover layout previews follow the title, subtitle and category as they are typed.
   Without this script each preview shows the saved title (or a placeholder for a new course) and the radio
   buttons still pick the layout. The previews come from the storefront's cover-preview URL; nothing is
   saved until the form is. No inline code (the site's CSP allows scripts from 'self' only). */
(function () {
  "use strict";
  var DELAY_MS = 400;

  function init() {
    var picker = document.getElementById("cover-picker");
    var form = picker && picker.closest("form");
    if (!form || !window.URLSearchParams) { return; }
    var base = picker.getAttribute("data-preview-url");
    var course = picker.getAttribute("data-course") || "";
    var placeholder = picker.getAttribute("data-placeholder") || "";
    var title = form.querySelector("[name=title]");
    var subtitle = form.querySelector("[name=subtitle]");
    var category = form.querySelector("[name=category]");
    var images = Array.prototype.slice.call(picker.querySelectorAll("img[data-layout]"));
    var timer = null;

    function value(input) {  // as the server will see it: trimmed, at most the field's maxlength
      if (!input) { return ""; }
      var text = input.value.trim();
      return input.maxLength > 0 ? text.slice(0, input.maxLength) : text;
    }

    function current() {
      return { title: value(title), subtitle: value(subtitle), category: category ? category.value : "" };
    }

    function same(a, b) {
      return a.title === b.title && a.subtitle === b.subtitle && a.category === b.category;
    }

    var shown = {  // what the server-rendered previews show
      title: (picker.getAttribute("data-title") || "").trim(),
      subtitle: (picker.getAttribute("data-subtitle") || "").trim(),
      category: picker.getAttribute("data-category") || ""
    };

    function update() {
      timer = null;
      var now = current();
      if (same(now, shown)) { return; }
      shown = now;
      images.forEach(function (image) {
        var params = new URLSearchParams();
        params.set("layout", image.getAttribute("data-layout"));
        params.set("title", now.title || placeholder);
        if (now.subtitle) { params.set("subtitle", now.subtitle); }
        if (now.category) { params.set("category", now.category); }
        if (course) { params.set("course", course); }
        image.src = base + "?" + params.toString();
      });
    }

    function schedule() {
      if (timer !== null) { window.clearTimeout(timer); }
      timer = window.setTimeout(update, DELAY_MS);
    }

    [title, subtitle].forEach(function (input) {
      if (input) { input.addEventListener("input", schedule); }
    });
    if (category) { category.addEventListener("change", schedule); }
    update();  // values restored by the browser (back button) or a re-shown form differ from the previews
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
