// A document type's defaults (issue 16 item 2): choosing a type in a new document's form fills its speed,
// secrecy and "due in (days)" from the type (data-* of the chosen <option>, written by the server), unless the
// person has already changed that field themselves: what they chose is never overwritten. Typing a due date
// clears a "due in (days)" that came from the type, since a document has one or the other.
document.addEventListener("DOMContentLoaded", () => {
  const FIELDS = { speed: "speed", secrecy: "secrecy", due_days: "dueDays" };
  document.querySelectorAll("select[name=type_id]").forEach((typeSelect) => {
    const form = typeSelect.form;
    if (!form) return;
    const touched = new Set();
    Object.keys(FIELDS).forEach((name) => {
      const input = form.elements.namedItem(name);
      if (!input) return;
      ["input", "change"].forEach((event) => input.addEventListener(event, () => touched.add(name)));
    });
    const dueDate = form.elements.namedItem("due_date");
    const dueDays = form.elements.namedItem("due_days");
    if (dueDate && dueDays) {
      dueDate.addEventListener("input", () => {
        if (!touched.has("due_days") && dueDate.value.trim()) dueDays.value = "";
      });
    }
    typeSelect.addEventListener("change", () => {
      const option = typeSelect.selectedOptions[0];
      if (!option) return;
      Object.entries(FIELDS).forEach(([name, key]) => {
        const input = form.elements.namedItem(name);
        if (input && !touched.has(name) && option.dataset[key] !== undefined) input.value = option.dataset[key];
      });
    });
  });
});
