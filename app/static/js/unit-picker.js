// The unit picker (issue 14 item 6): a <select multiple data-unit-picker> of units becomes a filter box, a
// list of checkboxes and the chosen units as removable chips. The select stays in the form, hidden, and is
// what is sent: every tick sets an option's `selected`, so without this script the plain select still works.
// Texts come translated from the server in data-picker-* attributes. Filtering matches the option's text
// and its data-search (both names and the code), ignoring case and spaces at the ends.

function unitPickerText(select, key, fallback) {
  return select.dataset[key] || fallback;
}

function makeUnitPicker(select) {
  const picker = document.createElement("div");
  picker.className = "unit-picker";
  picker.dataset.testid = "unit-picker";

  const chips = document.createElement("div");
  chips.className = "unit-picker-chips";
  chips.setAttribute("aria-live", "polite");

  const filter = document.createElement("input");
  filter.type = "search";
  filter.className = "form-control form-control-sm mb-1 unit-picker-filter";
  filter.placeholder = unitPickerText(select, "pickerFilter", "");
  filter.setAttribute("aria-label", filter.placeholder);
  filter.autocomplete = "off";

  const hint = document.createElement("div");
  hint.className = "form-text mt-0 mb-1 unit-picker-hint";
  hint.textContent = unitPickerText(select, "pickerHint", "");

  const list = document.createElement("div");
  list.className = "unit-picker-list";
  list.setAttribute("role", "group");
  if (select.labels.length) {
    list.setAttribute("aria-label", select.labels[0].textContent.trim());
  }

  const none = document.createElement("div");
  none.className = "small text-muted unit-picker-none";
  none.textContent = unitPickerText(select, "pickerNone", "");
  none.hidden = true;

  const rows = [...select.options].map((option, index) => {
    const depth = (option.text.match(/^(— )*/)[0].length) / 2;
    const name = option.text.replace(/^(— )+/, "");
    const row = document.createElement("div");
    row.className = `form-check unit-picker-depth-${Math.min(depth, 3)}`;
    const box = document.createElement("input");
    box.type = "checkbox";
    box.className = "form-check-input";
    box.id = `${select.id || select.name}-pick-${index}`;
    box.value = option.value;
    box.checked = option.selected;
    const label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = box.id;
    label.textContent = name;
    row.append(box, label);
    list.append(row);
    box.addEventListener("change", () => {
      option.selected = box.checked;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      showChips();
    });
    const search = `${option.text} ${option.dataset.search || ""}`.toLowerCase();
    return { option, box, row, name, search };
  });
  list.append(none);

  function showChips() {
    chips.replaceChildren(...rows.filter((entry) => entry.option.selected).map((entry) => {
      const chip = document.createElement("span");
      chip.className = "unit-picker-chip";
      chip.dataset.value = entry.option.value;
      const text = document.createElement("span");
      text.textContent = entry.name;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn-close";
      remove.setAttribute("aria-label", `${unitPickerText(select, "pickerRemove", "×")} ${entry.name}`);
      remove.addEventListener("click", () => {
        entry.option.selected = false;
        entry.box.checked = false;
        showChips();
        filter.focus();
      });
      chip.append(text, remove);
      return chip;
    }));
  }

  filter.addEventListener("input", () => {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const entry of rows) {
      const match = words.every((word) => entry.search.includes(word));
      entry.row.hidden = !match;
      shown += match ? 1 : 0;
    }
    none.hidden = shown > 0;
  });
  // Enter in the filter box ticks the only unit left instead of sending the form.
  filter.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const left = rows.filter((entry) => !entry.row.hidden);
    if (left.length === 1 && !left[0].box.checked) {
      left[0].box.click();
    }
  });

  picker.append(chips, filter, hint, list);
  select.classList.add("d-none");
  select.after(picker);
  // The no-script hint (Ctrl-click) no longer applies.
  const described = select.closest(".mb-3")?.querySelector(":scope > .form-text");
  if (described) described.hidden = true;
  showChips();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[multiple][data-unit-picker]").forEach(makeUnitPicker);
});
