// A new activity in the admin gets the next order number: one more than the highest in its list, so
// that adding several before saving numbers them 4, 5, 6 instead of 4, 4, 4 (initiatives/admin.py).
document.addEventListener("formset:added", (event) => {
  const row = event.target;
  const group = row.closest(".inline-group");
  const input = row.querySelector('input[name$="-order"]');
  if (!group || !input) return;
  const others = [...group.querySelectorAll('input[name$="-order"]')]
    .filter((other) => other !== input && !other.name.includes("__prefix__"))
    .map((other) => parseInt(other.value, 10))
    .filter((n) => !Number.isNaN(n));
  input.value = String(Math.max(0, ...others) + 1);
});
