// The flow editor page (templates/workflow/editor.html, issue 16 item 3): bpmn-js's modeler (window.BpmnJS from
// the vendored bpmn-modeler bundle) in Thai, our properties panel (flow-editor-panel.js), and the toolbar that
// saves the draft, checks it, publishes it, imports and exports .bpmn files and discards the draft, through the
// JSON endpoints of app/workflow/editor_views.py. Every POST sends the page's CSRF token in X-CSRFToken.
(function () {
  "use strict";

  // The esaraban extension attributes (app/workflow/steps.py), typed so bpmn-js reads and writes them as ours.
  const ESARABAN = {
    name: "e-Saraban", uri: "https://e-saraban.local/bpmn/extensions", prefix: "esaraban",
    xml: {tagAlias: "lowerCase"}, associations: [], enumerations: [],
    types: [
      {name: "Step", extends: ["bpmn:UserTask"], properties: [
        {name: "kind", isAttr: true, type: "String"}, {name: "units", isAttr: true, type: "String"}]},
      {name: "Timer", extends: ["bpmn:BoundaryEvent"], properties: [{name: "timer", isAttr: true, type: "String"}]},
    ],
  };

  function FlowEditor(root) {
    const config = JSON.parse(root.dataset.config);
    const T = config.texts;
    const page = document;
    const $ = (testid) => page.querySelector(`[data-testid="${testid}"]`);
    const token = page.querySelector('meta[name="csrf-token"]').content;
    const thai = page.documentElement.lang === "th" && window.FlowEditorThai;
    const modeler = new window.BpmnJS({
      container: root.querySelector(".flow-editor-canvas"),
      additionalModules: thai ? [{translate: ["value", window.FlowEditorThai.translate]}] : [],
      moddleExtensions: {esaraban: ESARABAN},
      textRenderer: {defaultStyle: {fontFamily: "Sarabun, Arial, sans-serif", fontSize: 13, lineHeight: 1.2},
        externalStyle: {fontFamily: "Sarabun, Arial, sans-serif", fontSize: 12, lineHeight: 1.2}},
    });
    const model = window.FlowEditorModel(modeler, T);
    const panel = window.FlowEditorPanel(root.querySelector(".flow-editor-panel"), modeler, model, config);
    const canvas = modeler.get("canvas");
    const registry = modeler.get("elementRegistry");
    let dirty = false;
    let hasDraft = config.hasDraft;
    let marked = [];

    modeler.on("commandStack.changed", () => { dirty = true; });
    modeler.on("elements.changed", showRoles);
    window.addEventListener("beforeunload", (event) => {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = T.unsaved;
    });

    function status(message, tone) {
      const box = $("editor-status");
      box.className = `alert py-2 mb-0 mt-2 alert-${tone || "info"}`;
      box.textContent = message;
      box.hidden = !message;
    }

    async function request(url, options) {
      const headers = {"X-CSRFToken": token, Accept: "application/json"};
      if (!(options.body instanceof FormData)) headers["Content-Type"] = "application/json";
      let response;
      try {
        response = await fetch(url, {method: "POST", credentials: "same-origin", headers: headers,
          body: options.body instanceof FormData ? options.body : JSON.stringify(options.body)});
      } catch (error) {
        throw {message: T.offline};
      }
      const body = await response.json().catch(() => ({error: T.failed}));
      if (!response.ok) throw {status: response.status, message: body.error || T.failed, body};
      return body;
    }

    async function currentXml() {
      return (await modeler.saveXML({format: true})).xml;
    }

    // The whole diagram in view, right of the palette that floats over the canvas's left edge; a large one
    // opens at a zoom its Thai labels can be read at, from its start (drag the canvas to see the rest).
    function fit(whole) {
      canvas.zoom("fit-viewport", "auto");
      const box = canvas.viewbox();
      if (!box.inner.width || !box.inner.height) return;
      const palette = root.querySelector(".djs-palette");
      const frame = root.querySelector(".flow-editor-canvas").getBoundingClientRect();
      const shown = palette && palette.getBoundingClientRect().width > 0;
      const left = (shown ? palette.getBoundingClientRect().right - frame.left : 0) + 12;
      const margin = 16;
      const fitting = Math.min((box.outer.width - left - margin) / box.inner.width,
        (box.outer.height - 2 * margin) / box.inner.height, 1);
      const scale = whole ? fitting : Math.max(fitting, box.outer.width < 600 ? 0.6 : 0.75);
      canvas.viewbox({x: box.inner.x - left / scale, y: box.inner.y - margin / scale,
        width: box.outer.width / scale, height: box.outer.height / scale});
    }

    // bpmn-js follows the mouse only: one finger dragged over the canvas moves the diagram on a phone.
    function panByTouch(frame) {
      let last = null;
      const point = (event) => ({x: event.touches[0].clientX, y: event.touches[0].clientY});
      frame.addEventListener("touchstart", (event) => {
        last = event.touches.length === 1 ? point(event) : null;
      }, {passive: true});
      frame.addEventListener("touchmove", (event) => {
        if (!last || event.touches.length !== 1) return;
        const now = point(event);
        canvas.scroll({dx: now.x - last.x, dy: now.y - last.y});
        last = now;
        event.preventDefault();
      }, {passive: false});
      frame.addEventListener("touchend", () => { last = null; });
    }

    function zoomBy(factor) {
      canvas.zoom(Math.min(Math.max(canvas.zoom() * factor, 0.2), 4), "auto");
    }

    async function load(xml) {
      await modeler.importXML(xml);
      fit();
      dirty = false;
      showRoles();
      panel.show(null);
    }

    // The Thai name of each lane's role beside the code the diagram keeps.
    function showRoles() {
      const overlays = modeler.get("overlays");
      overlays.remove({type: "flow-editor-role"});
      registry.filter((element) => model.is(element, "bpmn:Lane")).forEach((lane) => {
        const role = config.roles.find((one) => one.value === (lane.businessObject.name || "").trim());
        const label = page.createElement("div");
        label.className = "flow-editor-role" + (role ? "" : " flow-editor-role-unknown");
        label.textContent = role ? role.label : T.laneNotRole;
        overlays.add(lane, "flow-editor-role", {position: {top: 6, left: 38}, scale: false, show: {minZoom: 0.5},
          html: label});
      });
    }

    async function save() {
      const body = await request(config.urls.save, {body: {xml: await currentXml(), based_on: config.basedOn}});
      hasDraft = true;
      dirty = false;
      return body;
    }

    async function run(button, work) {
      button.disabled = true;
      try {
        await work();
      } catch (error) {
        if (error && error.message !== undefined) status(error.message, "danger");
        else throw error;
      } finally {
        button.disabled = false;
      }
    }

    function mark(ids) {
      marked.forEach((id) => registry.get(id) && canvas.removeMarker(id, "flow-editor-error"));
      marked = ids.filter((id) => registry.get(id));
      marked.forEach((id) => canvas.addMarker(id, "flow-editor-error"));
    }

    function showFindings(result) {
      const list = $("editor-errors");
      list.replaceChildren();
      result.errors.forEach((finding) => {
        const item = page.createElement("li");
        const button = page.createElement("button");
        button.type = "button";
        button.className = "btn btn-link p-0 text-start";
        button.dataset.elementId = finding.element_id || "";
        button.textContent = finding.element ? `${finding.element}: ${finding.message}` : finding.message;
        button.addEventListener("click", () => select(finding.element_id));
        item.append(button);
        list.append(item);
      });
      list.hidden = !result.errors.length;
      mark(result.errors.map((finding) => finding.element_id).filter(Boolean));
      status(result.message, result.ok ? "success" : "warning");
    }

    function select(elementId) {
      const element = elementId && registry.get(elementId);
      if (!element) return;
      modeler.get("selection").select(element);
      canvas.scrollToElement(element, {top: 60, bottom: 60, left: 60, right: 60});
      root.querySelector(".flow-editor-panel").scrollIntoView({block: "nearest"});
    }

    async function check() {
      const result = await request(config.urls.check, {body: {xml: await currentXml()}});
      showFindings(result);
      return result.ok;
    }

    async function publish(acceptOutdated) {
      status(T.publishing);
      if (dirty || !hasDraft) await save();
      if (!acceptOutdated && !(await check())) return;
      try {
        const body = await request(config.urls.publish,
          {body: {note: $("editor-note").value, accept_outdated: acceptOutdated}});
        dirty = false;
        window.location.assign(body.redirect);
      } catch (error) {
        $("editor-outdated").hidden = error.status !== 409;
        throw error;
      }
    }

    async function importFile(file) {
      if (dirty && !window.confirm(T.confirmImport)) return;
      const form = new FormData();
      form.append("file", file);
      if (config.basedOn !== null) form.append("based_on", String(config.basedOn));
      const body = await request(config.urls.import, {body: form});
      hasDraft = true;
      await load(body.xml);
      status(body.message, "success");
    }

    async function exportFile() {
      if (dirty || !hasDraft) await save();
      window.location.assign(config.urls.export);
    }

    async function discard() {
      if (!window.confirm(T.confirmDiscard)) return;
      if (!hasDraft) {
        dirty = false;
        window.location.reload();
        return;
      }
      const body = await request(config.urls.discard, {body: {}});
      dirty = false;
      window.location.assign(body.redirect);
    }

    function on(testid, work) {
      const button = $(testid);
      button.addEventListener("click", () => run(button, work));
    }

    on("editor-save", async () => status((await save()).message, "success"));
    on("editor-check", check);
    on("editor-publish", async () => {
      $("editor-publish-box").hidden = false;
      $("editor-note").focus();
    });
    on("editor-publish-cancel", async () => { $("editor-publish-box").hidden = true; });
    on("editor-publish-confirm", () => publish(false));
    on("editor-publish-anyway", () => publish(true));
    on("editor-export", exportFile);
    on("editor-discard", discard);
    const picker = $("editor-import-file");
    picker.addEventListener("change", () => {
      const file = picker.files[0];
      picker.value = "";
      if (file) run($("editor-import"), () => importFile(file));
    });
    on("editor-import", async () => picker.click());
    on("editor-zoom-in", async () => zoomBy(1.25));
    on("editor-zoom-out", async () => zoomBy(0.8));
    on("editor-fit", async () => fit(true));

    panByTouch(root.querySelector(".flow-editor-canvas"));
    load(config.xml).then(() => { root.dataset.ready = "true"; }, () => status(T.loadError, "danger"));
    return {modeler: modeler};
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = document.getElementById("flow-editor");
    if (root) window.flowEditor = FlowEditor(root);
  });
})();
