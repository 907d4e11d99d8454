// Harness for tests/web/test_map_component.py: renders the sample plan view and exposes
// renderMap for the test to call again with other data. ?highlight=CHI highlights a site.
import { renderMap } from "/js/components/map.js";

const view = await (await fetch("view-builtin.json")).json();
window.renderMap = renderMap;
window.sampleView = view;
const highlight = new URLSearchParams(location.search).get("highlight");
renderMap(document.getElementById("map"), view, highlight ? { highlightSite: highlight } : {});
document.documentElement.dataset.ready = "true";
