/* Lesson page: tells the server the lesson was opened ("continue where you left off") and, for a video, how
   long it has been played (every 15 s while playing, and on pause/end). The server credits at most the wall
   time between reports and decides when the lesson is complete. No inline code (CSP). */
(function () {
  "use strict";
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var headers = document.body.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin", body: body,
                        headers: { "X-CSRFToken": csrf(), "Content-Type": "application/json" } })
      .then(function (r) { return r.json(); });
  }
  function init() {
    var article = document.getElementById("lesson");
    var url = article && article.getAttribute("data-report-url");
    if (!url || !window.fetch) { return; }
    post(url, "").catch(function () {});
    var video = document.getElementById("lesson-video");
    if (!video) { return; }
    var start = parseFloat(video.getAttribute("data-start") || "0");
    if (start > 0) {
      video.addEventListener("loadedmetadata", function () {
        if (start < video.duration - 5) { video.currentTime = start; }
      }, { once: true });
    }
    var played = 0, last = null, timer = null, status = document.getElementById("watch-status");
    function count() {  // played time since the last count; a jump (seek) counts nothing
      var t = video.currentTime;
      if (last !== null && !video.seeking && t > last && t - last < 2) { played += t - last; }
      last = t;
    }
    video.addEventListener("timeupdate", count);
    video.addEventListener("seeking", function () { last = null; });
    function report() {
      count();
      var body = JSON.stringify({ played: played, position: video.currentTime,
                                  duration: isFinite(video.duration) ? video.duration : null });
      played = 0;
      post(url, body).then(function (data) {
        if (data.completed && status && status.getAttribute("data-done") !== "1") {
          status.setAttribute("data-done", "1");
          status.textContent = article.getAttribute("data-watched") || status.textContent;
        }
      }).catch(function () {});
    }
    video.addEventListener("play", function () {
      last = video.currentTime;
      report();  // starts the server's clock
      if (!timer) { timer = window.setInterval(report, 15000); }
    });
    ["pause", "ended"].forEach(function (name) {
      video.addEventListener(name, function () {
        if (timer) { window.clearInterval(timer); timer = null; }
        report();
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
