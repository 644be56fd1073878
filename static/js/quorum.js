// Shows the quorum as the register is kept (workflows.md, "Holding"). The server works it
// out again when the register is saved; this only saves the chair a round trip.
const live = document.getElementById("quorum-live");
const table = document.querySelector("[data-register]");
if (live && table) {
  const needed = Number(live.dataset.otherNeeded);
  const notAgencies = new Set(live.dataset.notAgencies.split(","));
  const present = new Set(["attended", "remote"]);
  const update = () => {
    const agencies = new Set();
    for (const row of table.querySelectorAll("tbody tr")) {
      const agency = row.querySelector("[data-agency]").value;
      const status = row.querySelector("[data-status]").value;
      if (agency && present.has(status) && !notAgencies.has(agency)) agencies.add(agency);
    }
    const socialCare = agencies.delete("social_care");
    const short = Math.max(0, needed - agencies.size);
    const missing = [];
    if (!socialCare) missing.push("children's social care");
    if (short) missing.push(`${short} more agenc${short === 1 ? "y" : "ies"}`);
    live.textContent = missing.length
      ? `As the register stands, the conference is not quorate: it needs ${missing.join(" and ")}.`
      : `As the register stands, the conference is quorate: children's social care and ${agencies.size} other agencies.`;
    live.hidden = false;
  };
  table.addEventListener("change", update);
  update();
}
