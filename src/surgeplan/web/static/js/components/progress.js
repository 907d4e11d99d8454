// Incumbent and bound over time as a small SVG line chart (the gap is the space between).

const NS = "http://www.w3.org/2000/svg";
const el = (tag, attrs = {}) => {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

export function progressChart(figure, history) {
  figure.replaceChildren();
  const stage = history.length ? history[history.length - 1].stage : null;
  const points = history.filter((p) => p.stage === stage);
  const width = 640;
  const height = 200;
  const pad = { l: 64, r: 12, t: 12, b: 28 };
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "progress-chart" });
  const label = points.length
    ? `${stage} stage: incumbent ${points[points.length - 1].objective}, bound ${points[points.length - 1].bound} after ${points[points.length - 1].elapsed.toFixed(1)} s`
    : "No plan found yet";
  svg.setAttribute("aria-label", label);
  figure.append(svg, Object.assign(document.createElement("figcaption"), { textContent: `Progress — ${label}` }));
  if (!points.length) return;
  const xs = points.map((p) => p.elapsed);
  const ys = points.flatMap((p) => [p.objective, p.bound]);
  const [x0, x1] = [0, Math.max(...xs, 1)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x) => pad.l + ((x - x0) / (x1 - x0 || 1)) * (width - pad.l - pad.r);
  const sy = (y) => height - pad.b - ((y - y0) / (y1 - y0 || 1)) * (height - pad.t - pad.b);
  const line = (key, cls) => {
    const d = points.map((p, i) => `${i ? "L" : "M"}${sx(p.elapsed).toFixed(1)},${sy(p[key]).toFixed(1)}`).join("");
    svg.append(el("path", { d, class: cls }));
  };
  svg.append(el("line", { x1: pad.l, x2: width - pad.r, y1: height - pad.b, y2: height - pad.b, class: "axis" }));
  for (const [value, y] of [[y1, sy(y1)], [y0, sy(y0)]]) {
    const t = el("text", { x: pad.l - 6, y: y + 4, "text-anchor": "end", class: "tick" });
    t.textContent = Number(value).toLocaleString("en-US");
    svg.append(t);
  }
  const t = el("text", { x: width - pad.r, y: height - 8, "text-anchor": "end", class: "tick" });
  t.textContent = `${x1.toFixed(1)} s`;
  svg.append(t);
  line("bound", "bound");
  line("objective", "incumbent");
  const legend = el("text", { x: pad.l + 8, y: pad.t + 12, class: "legend" });
  legend.textContent = "— incumbent (solid)   - - bound (dashed)";
  svg.append(legend);
}
