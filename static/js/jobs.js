// Jobs pages: one tap on a recent employer chooses it in the employer-contact form.
document.addEventListener("click", (event) => {
  const chip = event.target.closest("[data-pick-employer]");
  if (!chip) return;
  const form = chip.closest("form");
  const select = form && form.querySelector("select[name=employer]");
  if (!select) return; // no form around: follow the link to the full form
  event.preventDefault();
  select.value = chip.dataset.pickEmployer;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  form.querySelectorAll("[data-pick-employer]").forEach((other) => {
    const picked = other === chip;
    other.classList.toggle("btn-secondary", picked);
    other.classList.toggle("btn-outline-secondary", !picked);
    other.setAttribute("aria-pressed", picked ? "true" : "false");
  });
});

// The weekly bars: their widths come from data attributes (no inline style under the CSP).
function sizeJobsBars(root) {
  root.querySelectorAll("[data-bar-target]").forEach((bar) => {
    bar.style.setProperty("--target", `${bar.dataset.barTarget}%`);
  });
  root.querySelectorAll("[data-bar-width]").forEach((fill) => {
    fill.style.width = `${fill.dataset.barWidth}%`;
  });
}
sizeJobsBars(document);
document.addEventListener("htmx:afterSwap", (event) => sizeJobsBars(event.target));
