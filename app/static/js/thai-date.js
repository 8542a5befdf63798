// A calendar in the Buddhist Era beside every date box (input[data-thai-date], issue 14 item 1). The box
// stays a text box: clerks type 28/11/2569, ๒๘ พ.ย. ๒๕๖๙ or 28112569 and the server reads it
// (app/core/date_input.py); the calendar only writes dd/mm/พ.ศ. into it. Without JavaScript, typing works.
(function () {
  "use strict";
  var MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var DAYS = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"];
  var BE = 543;
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";
  var open = null; // {box, popup}

  function arabic(text) {
    return text.replace(/[๐-๙]/g, function (digit) { return String(THAI_DIGITS.indexOf(digit)); });
  }

  function two(number) { return (number < 10 ? "0" : "") + number; }

  // The date the box holds, when it is one of the plain forms; otherwise null (the calendar opens on today).
  function dateIn(box) {
    var text = arabic(box.value.trim());
    var match = text.match(/^(\d{1,2})[\/.\- ](\d{1,2})[\/.\- ](\d{4})$/);
    if (match) {
      var year = Number(match[3]);
      return new Date(year >= 2400 ? year - BE : year, Number(match[2]) - 1, Number(match[1]));
    }
    match = text.match(/^(\d{4})-(\d{2})-(\d{2})$/);
    if (match) {
      var first = Number(match[1]);
      return new Date(first >= 2400 ? first - BE : first, Number(match[2]) - 1, Number(match[3]));
    }
    return null;
  }

  function sameDay(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate();
  }

  function button(text, label, onClick, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className || "btn btn-sm btn-light";
    element.textContent = text;
    if (label) element.setAttribute("aria-label", label);
    element.addEventListener("click", onClick);
    return element;
  }

  function render(state) {
    var popup = state.popup, shown = state.month, chosen = dateIn(state.box), today = new Date();
    popup.textContent = "";
    var head = document.createElement("div");
    head.className = "thai-date-head";
    var title = document.createElement("strong");
    title.textContent = MONTHS[shown.getMonth()] + " " + (shown.getFullYear() + BE);
    title.setAttribute("aria-live", "polite");
    head.appendChild(button("‹", "เดือนก่อน", function () { move(state, -1); }));
    head.appendChild(title);
    head.appendChild(button("›", "เดือนถัดไป", function () { move(state, 1); }));
    popup.appendChild(head);
    var grid = document.createElement("div");
    grid.className = "thai-date-grid";
    DAYS.forEach(function (day) {
      var cell = document.createElement("span");
      cell.className = "thai-date-dayname";
      cell.textContent = day;
      grid.appendChild(cell);
    });
    var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
    for (var blank = 0; blank < first.getDay(); blank++) grid.appendChild(document.createElement("span"));
    var days = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
    for (var day = 1; day <= days; day++) {
      var date = new Date(shown.getFullYear(), shown.getMonth(), day);
      var css = "btn btn-sm " + (sameDay(date, chosen) ? "btn-primary" : sameDay(date, today) ? "btn-outline-primary" : "btn-light");
      var cell = button(String(day), day + " " + MONTHS[shown.getMonth()] + " " + (shown.getFullYear() + BE),
                        choose.bind(null, state, date), css);
      cell.setAttribute("data-day", String(day));
      grid.appendChild(cell);
    }
    popup.appendChild(grid);
    popup.appendChild(button("วันนี้", null, function () { choose(state, new Date()); },
                             "btn btn-sm btn-link thai-date-today"));
  }

  function move(state, months) {
    state.month = new Date(state.month.getFullYear(), state.month.getMonth() + months, 1);
    render(state);
  }

  function choose(state, date) {
    state.box.value = two(date.getDate()) + "/" + two(date.getMonth() + 1) + "/" + (date.getFullYear() + BE);
    state.box.dispatchEvent(new Event("input", {bubbles: true}));
    state.box.dispatchEvent(new Event("change", {bubbles: true}));
    close();
    state.box.focus();
  }

  function close() {
    if (open) {
      open.popup.remove();
      open.toggle.setAttribute("aria-expanded", "false");
      open = null;
    }
  }

  function show(box, toggle) {
    var wasOpen = open && open.box === box;
    close();
    if (wasOpen) return;
    var popup = document.createElement("div");
    popup.className = "thai-date-popup";
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", "ปฏิทิน พ.ศ.");
    var start = dateIn(box) || new Date();
    open = {box: box, toggle: toggle, popup: popup, month: new Date(start.getFullYear(), start.getMonth(), 1)};
    render(open);
    box.parentNode.appendChild(popup);
    toggle.setAttribute("aria-expanded", "true");
    var chosen = popup.querySelector(".btn-primary") || popup.querySelector("[data-day]");
    if (chosen) chosen.focus();
  }

  function attach(box) {
    var group = document.createElement("div");
    group.className = "input-group thai-date";
    box.parentNode.insertBefore(group, box);
    group.appendChild(box);
    var toggle = button("", "เลือกวันที่จากปฏิทิน พ.ศ.", function () { show(box, toggle); },
                        "btn btn-outline-secondary thai-date-toggle");
    toggle.setAttribute("aria-haspopup", "dialog");
    toggle.setAttribute("aria-expanded", "false");
    group.appendChild(toggle);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) {
      var toggle = open.toggle;
      close();
      toggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    // composedPath: a day or month button may already be gone from the page when the click gets here
    var path = event.composedPath();
    if (open && path.indexOf(open.popup) === -1 && path.indexOf(open.toggle) === -1) close();
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-thai-date]"), attach);
})();
