// The search page's condition rows: the value box follows the chosen field (a list for coded fields, text
// otherwise), and "Add a condition" adds a row. Without JavaScript the rows still work: values are typed.
(function () {
  var form = document.getElementById("search-form");
  if (!form) return;
  var rows = document.getElementById("condition-rows");
  var addButton = document.getElementById("add-condition");

  function valueTemplate(field) {
    return form.querySelector('template[data-values-for="' + field + '"]');
  }

  function textInput(value) {
    var input = document.createElement("input");
    input.className = "form-control form-control-sm w-auto flex-grow-1";
    input.name = "v";
    input.setAttribute("aria-label", rows.querySelector("[data-condition-value]").getAttribute("aria-label"));
    input.setAttribute("data-condition-value", "");
    input.value = value || "";
    return input;
  }

  function matchValueBox(row) {
    var field = row.querySelector("[data-condition-field]").value;
    var current = row.querySelector("[data-condition-value]");
    var template = valueTemplate(field);
    var replacement;
    if (template) {
      replacement = template.content.firstElementChild.cloneNode(true);
      var wanted = current.value;
      Array.prototype.forEach.call(replacement.options, function (option) {
        if (option.value === wanted || option.text === wanted) replacement.value = option.value;
      });
    } else {
      if (current.tagName === "INPUT") return;
      replacement = textInput("");
    }
    current.replaceWith(replacement);
  }

  function watch(row) {
    row.querySelector("[data-condition-field]").addEventListener("change", function () { matchValueBox(row); });
    matchValueBox(row);
  }

  Array.prototype.forEach.call(rows.querySelectorAll('[data-testid="condition-row"]'), watch);
  addButton.hidden = false;
  addButton.addEventListener("click", function () {
    var last = rows.lastElementChild;
    var row = last.cloneNode(true);
    var oldJoiner = row.querySelector('select[name="j"]');
    if (oldJoiner) oldJoiner.remove();
    row.insertBefore(form.querySelector("template[data-joiner]").content.firstElementChild.cloneNode(true),
                     row.firstChild);
    row.querySelector("[data-condition-field]").value = "subject";
    row.querySelector("[data-condition-value]").replaceWith(textInput(""));
    rows.appendChild(row);
    watch(row);
    row.querySelector("[data-condition-field]").focus();
  });
})();
