// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Ctrl+Enter (or Cmd+Enter) submits the form being typed in, for agents who keep their hands on the keyboard.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = event.target && event.target.closest && event.target.closest("form[data-keyboard-submit]");
    if (form) { event.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
  });

  // A button that went back in history on the error page.
  document.querySelectorAll("[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (history.length > 1) { event.preventDefault(); history.back(); }
    });
  });

  // Intake: the complaints that read like what is being typed, looked up once typing pauses.
  var similarBox = document.getElementById("intake-similar");
  if (similarBox) {
    var similarList = similarBox.querySelector("[data-similar-list]");
    var similarTimer = null;
    var lastText = "";
    var lookUp = function () {
      var subject = document.getElementById("subject");
      var description = document.getElementById("description");
      var text = ((subject ? subject.value : "") + "\n" + (description ? description.value : "")).trim();
      if (text.length < 4 || text === lastText) return;
      lastText = text;
      var address = similarBox.getAttribute("data-similar-src") + "?text=" + encodeURIComponent(text.slice(0, 2000));
      fetch(address, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          similarList.innerHTML = html;
          similarBox.hidden = html.trim() === "";
        })
        .catch(function () {});
    };
    ["subject", "description"].forEach(function (id) {
      var field = document.getElementById(id);
      if (!field) return;
      field.addEventListener("input", function () {
        clearTimeout(similarTimer);
        similarTimer = setTimeout(lookUp, 500);
      });
    });
    lookUp();
  }

  // Live queue: reload the rows whenever the server says a complaint changed.
  var live = document.querySelector("[data-live]");
  if (live && window.EventSource) {
    var rows = document.getElementById("queue-rows");
    var note = live.querySelector("[data-live-note]");
    var pending = false;
    var refresh = function () {
      if (pending) return;
      pending = true;
      var url = new URL(window.location.href);
      url.searchParams.set("fragment", "rows");
      fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          pending = false;
          if (html === null) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("queue-rows");
          // A refresh keeps what the person had ticked for a new incident.
          var ticked = Array.prototype.map.call(rows.querySelectorAll("input[name=complaint]:checked"),
            function (box) { return box.value; });
          rows.innerHTML = fresh ? fresh.innerHTML : doc.body.innerHTML;
          Array.prototype.forEach.call(rows.querySelectorAll("input[name=complaint]"), function (box) {
            if (ticked.indexOf(box.value) >= 0) { box.checked = true; }
          });
          if (note) { note.hidden = false; }
          rows.setAttribute("data-refreshed", String(Date.now()));
        })
        .catch(function () { pending = false; });
    };
    var source = new EventSource(live.getAttribute("data-live"));
    source.addEventListener("change", refresh);
  }
})();
