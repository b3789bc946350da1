// A <select data-autosubmit> sends its form when it changes (no inline handlers: the
// Content-Security-Policy allows only Sylva's own script files).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.matches("[data-autosubmit]") && field.form) {
    field.form.requestSubmit();
  }
});
