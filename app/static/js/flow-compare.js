// The compare page of a flow's versions (templates/workflow/compare.html): draw both diagrams with bpmn-js's
// viewer (window.BpmnJS, loaded before this script), colour each element by what changed, and bring an element
// into view in both when its line in the list of changes is chosen.
(function () {
  "use strict";

  const SIDES = {old: ["removed", "changed", "moved"], new: ["added", "changed", "moved"]};

  async function draw(container, xml, markers, shown) {
    const viewer = new window.BpmnJS({container: container});
    await viewer.importXML(xml);
    const canvas = viewer.get("canvas");
    const registry = viewer.get("elementRegistry");
    Object.entries(markers).forEach(([id, change]) => {
      if (shown.includes(change) && registry.get(id)) canvas.addMarker(id, "diff-" + change);
    });
    canvas.zoom("fit-viewport", "auto");
    return viewer;
  }

  function focus(viewers, elementId) {
    viewers.forEach((viewer) => {
      const canvas = viewer.get("canvas");
      const registry = viewer.get("elementRegistry");
      registry.forEach((element) => canvas.removeMarker(element, "diff-focus"));
      const element = registry.get(elementId);
      if (!element) return;
      canvas.addMarker(element, "diff-focus");
      canvas.scrollToElement(element, {top: 40, bottom: 40, left: 40, right: 40});
    });
  }

  async function start() {
    const root = document.getElementById("flow-compare");
    if (!root) return;
    const markers = JSON.parse(root.dataset.markers || "{}");
    const xml = {old: root.dataset.oldXml, new: root.dataset.newXml};
    let viewers;
    try {
      viewers = await Promise.all([...root.querySelectorAll(".flow-compare-canvas")].map(
        (container) => draw(container, xml[container.dataset.side], markers, SIDES[container.dataset.side])));
    } catch (error) {
      const message = root.querySelector("[data-testid=compare-load-error]");
      message.textContent = root.dataset.loadError;
      message.hidden = false;
      return;
    }
    root.dataset.ready = "true";
    document.querySelectorAll(".flow-compare-focus").forEach((button) => {
      button.addEventListener("click", () => {
        focus(viewers, button.dataset.elementId);
        root.scrollIntoView({behavior: "smooth", block: "start"});
      });
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
