// Keyboard shortcuts for staff pages, in the manner of Gmail and Zendesk: "/" search, j/k rows, Enter opens, g then
// q/i/d/n goes to a page, ? lists them. Keys typed into a field are the field's; Escape leaves the field.
(function () {
  "use strict";

  var typing = function (element) {
    return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  };
  var rows = function () { return Array.prototype.slice.call(document.querySelectorAll("tr[data-row]")); };
  var current = -1;

  // The chosen row is marked and its link focused, so Enter opens it the way a click would.
  var choose = function (index) {
    var list = rows();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (row, position) { row.classList.toggle("current", position === current); });
    var link = list[current].querySelector("a[href]");
    if (link) link.focus();
    list[current].scrollIntoView({ block: "nearest" });
  };

  var places = { q: "/queue", i: "/intake", d: "/dashboard", n: "/incidents", s: "/search" };
  var awaitingPlace = false;
  var placeTimer = null;
  var dialog = document.getElementById("shortcuts");
  var toggleHelp = function () {
    if (!dialog || !dialog.showModal) return;
    if (dialog.open) { dialog.close(); } else { dialog.showModal(); }
  };
  document.querySelectorAll("[data-shortcuts]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", toggleHelp);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (awaitingPlace) {
      awaitingPlace = false;
      if (places[event.key]) { event.preventDefault(); window.location.href = places[event.key]; }
      return;
    }
    switch (event.key) {
      case "/":
        var search = document.getElementById("global-search");
        if (search) { event.preventDefault(); search.focus(); search.select(); }
        break;
      case "j":
        event.preventDefault();
        choose(current + 1);
        break;
      case "k":
        event.preventDefault();
        choose(current < 0 ? 0 : current - 1);
        break;
      case "g":
        awaitingPlace = true;
        clearTimeout(placeTimer);
        placeTimer = setTimeout(function () { awaitingPlace = false; }, 1500);
        break;
      case "?":
        event.preventDefault();
        toggleHelp();
        break;
    }
  });

  // The live queue replaces its rows; the choice starts again from the top.
  var rowsBox = document.getElementById("queue-rows");
  if (rowsBox && window.MutationObserver) {
    new MutationObserver(function () { current = -1; }).observe(rowsBox, { childList: true });
  }
})();
