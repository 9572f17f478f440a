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

  // Assign: the owner and handler pickers offer only people who work for the chosen department (company-wide staff
  // always); without this script every option stays.
  document.querySelectorAll("select[data-filter-by]").forEach(function (picker) {
    var source = document.getElementById(picker.getAttribute("data-filter-by"));
    if (!source) return;
    var apply = function () {
      var department = source.value;
      Array.prototype.forEach.call(picker.options, function (option) {
        var scope = option.getAttribute("data-departments");
        var fits = !department || !scope || scope === "*" || scope.split(" ").indexOf(department) >= 0;
        option.hidden = !fits;
        option.disabled = !fits;
      });
      var chosen = picker.options[picker.selectedIndex];
      if (chosen && chosen.disabled) { picker.value = ""; }
    };
    source.addEventListener("change", apply);
    apply();
  });

  // "Assign to me" names whoever ticks it, so the owner picker stands aside meanwhile.
  document.querySelectorAll("input[name=ownerSelf]").forEach(function (box) {
    var picker = box.form && box.form.querySelector("select[name=owner]");
    if (!picker) return;
    var apply = function () { picker.disabled = box.checked; };
    box.addEventListener("change", apply);
    apply();
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

  // Intake: the customer's earlier complaints, looked up as soon as a phone or an email is typed.
  var customerBox = document.getElementById("intake-customer");
  if (customerBox) {
    var customerList = customerBox.querySelector("[data-customer-list]");
    var customerTimer = null;
    var lastContact = "";
    var lookUpCustomer = function () {
      var phone = document.getElementById("customer-phone");
      var email = document.getElementById("customer-email");
      var phoneText = phone ? phone.value.trim() : "";
      var emailText = email ? email.value.trim() : "";
      // Seven digits name somebody; an email needs its @ and a dot after it.
      if (phoneText.replace(/\D/g, "").length < 7) phoneText = "";
      if (!/@.+\./.test(emailText)) emailText = "";
      var contact = phoneText + "|" + emailText;
      if (contact === lastContact) return;
      lastContact = contact;
      if (contact === "|") { customerList.innerHTML = ""; customerBox.hidden = true; return; }
      var address = customerBox.getAttribute("data-customer-src") + "?phone=" + encodeURIComponent(phoneText) +
        "&email=" + encodeURIComponent(emailText);
      fetch(address, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (contact !== lastContact) return;
          customerList.innerHTML = html;
          customerBox.hidden = html.trim() === "";
        })
        .catch(function () {});
    };
    ["customer-phone", "customer-email"].forEach(function (id) {
      var field = document.getElementById(id);
      if (!field) return;
      field.addEventListener("input", function () {
        clearTimeout(customerTimer);
        customerTimer = setTimeout(lookUpCustomer, 300);
      });
    });
    lookUpCustomer();
  }

  // A file input's chosen images shown as thumbnails before they are sent.
  document.querySelectorAll("input[type=file][data-preview]").forEach(function (input) {
    var preview = document.getElementById(input.getAttribute("data-preview"));
    if (!preview || !window.FileReader) return;
    input.addEventListener("change", function () {
      preview.innerHTML = "";
      Array.prototype.forEach.call(input.files || [], function (file) {
        var item = document.createElement("figure");
        // Read as a data: address, which the pages' content policy allows for images (blob: it does not).
        if (/^image\/(png|jpeg|gif|webp)$/.test(file.type) && file.size <= 8 * 1024 * 1024) {
          var image = document.createElement("img");
          image.alt = "";
          var reader = new FileReader();
          reader.onload = function () { image.src = reader.result; };
          reader.readAsDataURL(file);
          item.appendChild(image);
        }
        var caption = document.createElement("figcaption");
        caption.textContent = file.name;
        item.appendChild(caption);
        preview.appendChild(item);
      });
    });
  });

  // A panel the user folded or opened stays so on their next visit (only when they chose; the page's own default
  // otherwise).
  document.querySelectorAll("details[data-remember]").forEach(function (panel) {
    var key = "closeloop." + panel.getAttribute("data-remember");
    try {
      var kept = window.localStorage.getItem(key);
      if (kept === "open") panel.open = true;
      if (kept === "closed") panel.open = false;
      panel.querySelector("summary").addEventListener("click", function () {
        window.localStorage.setItem(key, panel.open ? "closed" : "open");
      });
    } catch (error) { /* storage refused: the default stands */ }
  });

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
