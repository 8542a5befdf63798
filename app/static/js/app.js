// Forms marked data-confirm ask before they submit (deactivations and other consequential actions).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Buttons marked data-print print the page (the receipt stamp).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// htmx sends a request only for an element inside a region the app marks data-hx-zone, never from text people
// typed (data-user-text, which htmx also skips), and the CSRF token goes in a header that only this script
// sets: the server refuses an htmx request whose token comes in the body. So markup that ever slipped into a
// page could not make the person looking at it act (docs/security.md).
function htmxMayRequest(element) {
  return Boolean(element.closest("[data-hx-zone]")) && !element.closest("[data-user-text]");
}

document.addEventListener("htmx:confirm", (event) => {
  if (!htmxMayRequest(event.target)) {
    event.preventDefault();
  }
});

document.addEventListener("htmx:configRequest", (event) => {
  if (!htmxMayRequest(event.detail.elt)) {
    event.preventDefault();
    return;
  }
  delete event.detail.parameters.csrf_token;
  event.detail.headers["X-CSRFToken"] = document.querySelector('meta[name="csrf-token"]').content;
});
